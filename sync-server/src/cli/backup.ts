/**
 * `datapatch backup --out FILE` and `datapatch restore --from FILE`: a snapshot of an embedded
 * instance taken while it serves, and putting one back. Invariants: both resolve with the exit
 * code (0 done, 1 refused or failed, 2 bad arguments); a refusal writes nothing and names why.
 */
import { resolve } from 'node:path';
import { BackupError, backupDataFolder, restoreDataFolder } from '../store/sqlite/sqlite-backup.ts';
import { BadArguments, dataFolder, parseFlags } from './data-folder.ts';
import { EXIT } from './data-messages.ts';
import { type CliInstanceMessages, cliInstanceMessages } from './instance-messages.ts';
import type { CliOutput } from './validate.ts';

export async function runBackup(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  io: CliOutput,
  m: CliInstanceMessages = cliInstanceMessages(env),
): Promise<number> {
  return guarded('backup', m, io, () => {
    const { values, positionals } = parseFlags(argv, {
      out: { type: 'string' },
      data: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      io.out(m.backupUsage);
      return EXIT.ok;
    }
    if (positionals.length > 0) throw new BadArguments(m.extraArguments(positionals.join(' ')));
    if (!values.out) throw new BadArguments(m.missing('--out'));
    const out = resolve(values.out);
    const summary = backupDataFolder(dataFolder(values.data, env), out);
    io.out(`${m.backupWritten(out, summary.bytes)}\n`);
    for (const [table, rows] of Object.entries(summary.rows)) io.out(`${m.rowsLine(table, rows)}\n`);
    return EXIT.ok;
  });
}

export async function runRestore(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  io: CliOutput,
  m: CliInstanceMessages = cliInstanceMessages(env),
): Promise<number> {
  return guarded('restore', m, io, () => {
    const { values, positionals } = parseFlags(argv, {
      from: { type: 'string' },
      data: { type: 'string' },
      replace: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      io.out(m.restoreUsage);
      return EXIT.ok;
    }
    if (positionals.length > 0) throw new BadArguments(m.extraArguments(positionals.join(' ')));
    if (!values.from) throw new BadArguments(m.missing('--from'));
    const dir = dataFolder(values.data, env);
    const summary = restoreDataFolder(resolve(values.from), dir, { replace: values.replace === true });
    for (const [table, rows] of Object.entries(summary.rows)) io.out(`${m.rowsLine(table, rows)}\n`);
    io.out(`${m.restored(dir)}\n`);
    return EXIT.ok;
  });
}

/** Bad arguments exit 2, a refusal 1 with its code; anything else is a failure too, said plainly. */
export async function guarded(
  command: string,
  m: CliInstanceMessages,
  io: CliOutput,
  run: () => number | Promise<number>,
): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof BadArguments) {
      io.err(m.badArguments(error.message, command));
      return EXIT.badArguments;
    }
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (error instanceof BackupError || typeof code === 'string') {
      io.err(m.refused(String(code), String(message)));
      return EXIT.failed;
    }
    io.err(`datapatch ${command}: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.failed;
  }
}
