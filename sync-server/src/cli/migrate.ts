/**
 * `datapatch migrate [--database-url URL] [--data DIR]`: brings the tables up to date before a
 * start (a start does it too) and prints each migration it applied. Invariant: migrations only
 * add (see each backend's list), so running it again, or on an up-to-date store, changes nothing.
 */

import { MIGRATIONS } from '../store/postgres/migrations.ts';
import { openPostgres, redactUrl } from '../store/postgres/postgres-database.ts';
import { openAndMigrate } from '../store/sqlite/sqlite-database.ts';
import { guarded } from './backup.ts';
import { BadArguments, dataFolder, parseFlags } from './data-folder.ts';
import { EXIT } from './data-messages.ts';
import type { CliInstanceMessages } from './instance-messages.ts';
import type { CliOutput } from './validate.ts';

export async function runMigrate(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  io: CliOutput,
  m: CliInstanceMessages,
): Promise<number> {
  return guarded('migrate', m, io, async () => {
    const { values, positionals } = parseFlags(argv, {
      'database-url': { type: 'string' },
      data: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      io.out(m.migrateUsage);
      return EXIT.ok;
    }
    if (positionals.length > 0) throw new BadArguments(m.extraArguments(positionals.join(' ')));
    const url = values['database-url'] ?? (env.DATAPATCH_DATABASE_URL || undefined);
    if (url !== undefined) {
      const db = await openPostgres(url);
      await db.close();
      const names = db.applied.map(
        (version) =>
          `${version} ${MIGRATIONS.find((migration) => migration.version === version)?.name ?? ''}`,
      );
      io.out(`${m.migrated(redactUrl(url), names)}\n`);
      return EXIT.ok;
    }
    const dir = dataFolder(values.data, env);
    const { db, applied } = openAndMigrate(dir);
    db.close();
    io.out(
      `${m.migrated(
        dir,
        applied.map((version) => `${version} (user_version)`),
      )}\n`,
    );
    return EXIT.ok;
  });
}
