/**
 * `datapatch store copy --from SOURCE --to TARGET [--replace]`: moves a whole instance between a
 * data folder and PostgreSQL (either way). Invariants: it says "copied" only after the copy was
 * checked and committed; a refusal or a difference leaves the target as it was (exit 1).
 */
import { resolve } from 'node:path';
import { copyInstance } from '../store/copy/instance-copy.ts';
import type { WritableInstanceSide } from '../store/copy/instance-tables.ts';
import { openPostgresSide } from '../store/postgres/postgres-instance-side.ts';
import { openSqliteSide } from '../store/sqlite/sqlite-instance-side.ts';
import { guarded } from './backup.ts';
import { BadArguments, hasData, parseFlags } from './data-folder.ts';
import { EXIT } from './data-messages.ts';
import type { CliInstanceMessages } from './instance-messages.ts';
import type { CliOutput } from './validate.ts';

const POSTGRES_URL = /^postgres(ql)?:\/\/./;

export async function runStoreCommand(
  argv: readonly string[],
  _env: NodeJS.ProcessEnv,
  io: CliOutput,
  m: CliInstanceMessages,
): Promise<number> {
  return guarded('store copy', m, io, async () => {
    const { values, positionals } = parseFlags(argv, {
      from: { type: 'string' },
      to: { type: 'string' },
      replace: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      io.out(m.copyUsage);
      return EXIT.ok;
    }
    const [command, ...rest] = positionals;
    if (command !== 'copy' || rest.length > 0)
      throw new BadArguments(m.extraArguments(positionals.join(' ')));
    if (!values.from) throw new BadArguments(m.missing('--from'));
    if (!values.to) throw new BadArguments(m.missing('--to'));
    const [from, to] = [place(values.from), place(values.to)];
    if (from === to) throw new BadArguments(m.extraArguments(`--to ${values.to}`));
    if (!POSTGRES_URL.test(from) && !hasData(from))
      throw Object.assign(new Error(`no Data Patch database in ${from}`), { code: 'no-data' });

    const source = await open(from, 'read');
    let target: WritableInstanceSide;
    try {
      target = await open(to, 'write');
    } catch (error) {
      await source.finish(false);
      throw error;
    }
    io.out(`${m.copying(source.description, target.description)}\n`);
    const report = await copyInstance(source, target, { replace: values.replace === true });
    for (const table of report.tables) io.out(`${m.rowsLine(table.name, table.rows)}\n`);
    io.out(`${m.rowsLine('updates', report.updates)}\n`);
    if (report.leftBehind.length > 0) io.out(`${m.leftBehind(report.leftBehind)}\n`);
    if (report.renumbered && report.updates > 0) io.out(`${m.renumbered}\n`);
    io.out(`${m.copied(report.tables.length, report.rooms)}\n`);
    return EXIT.ok;
  });
}

/** A postgres:// URL as given, or a data folder as an absolute path. */
function place(text: string): string {
  return POSTGRES_URL.test(text) ? text : resolve(text);
}

function open(where: string, mode: 'read' | 'write'): Promise<WritableInstanceSide> {
  return POSTGRES_URL.test(where)
    ? openPostgresSide(where, mode)
    : Promise.resolve(openSqliteSide(where, mode));
}
