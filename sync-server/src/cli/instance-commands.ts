/**
 * Runs `datapatch backup | restore | migrate | store copy` and resolves with the exit code once
 * stdout and stderr are flushed. Invariant: none of them starts a server.
 */
import { runBackup, runRestore } from './backup.ts';
import { cliInstanceMessages } from './instance-messages.ts';
import { runMigrate } from './migrate.ts';
import { runStoreCommand } from './store-copy.ts';
import type { CliOutput } from './validate.ts';

export const INSTANCE_COMMANDS = ['backup', 'restore', 'migrate', 'store'] as const;
export type InstanceCommand = (typeof INSTANCE_COMMANDS)[number];

export function isInstanceCommand(name: string | undefined): name is InstanceCommand {
  return (INSTANCE_COMMANDS as readonly string[]).includes(name ?? '');
}

export async function runInstanceCommand(
  command: InstanceCommand,
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const messages = cliInstanceMessages(env);
  const io: CliOutput = {
    out: (text: string) => void process.stdout.write(text),
    err: (text: string) => void process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  };
  const runners = {
    backup: runBackup,
    restore: runRestore,
    migrate: runMigrate,
    store: runStoreCommand,
  } as const;
  const code = await runners[command](argv, env, io, messages);
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
  return code;
}
