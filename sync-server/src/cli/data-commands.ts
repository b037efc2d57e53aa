/**
 * Runs `datapatch import | validate | export` and resolves with the exit code once everything
 * written to stdout/stderr is flushed (an export piped to a file must not lose its tail).
 */
import { cliDataMessages } from './data-messages.ts';
import { runExport } from './export.ts';
import { runImport } from './import.ts';
import { runValidate } from './validate.ts';

export const DATA_COMMANDS = ['import', 'validate', 'export'] as const;
export type DataCommand = (typeof DATA_COMMANDS)[number];

export function isDataCommand(name: string | undefined): name is DataCommand {
  return (DATA_COMMANDS as readonly string[]).includes(name ?? '');
}

export async function runDataCommand(command: DataCommand, argv: readonly string[]): Promise<number> {
  const messages = cliDataMessages();
  const io = {
    out: (text: string) => void process.stdout.write(text),
    err: (text: string) => void process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    outBytes: (bytes: Uint8Array) => void process.stdout.write(bytes),
  };
  let code: number;
  switch (command) {
    case 'import':
      code = await runImport(argv, process.env, messages, io);
      break;
    case 'validate':
      code = await runValidate(argv, messages, io);
      break;
    case 'export':
      code = await runExport(argv, process.env, messages, io);
      break;
  }
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
  return code;
}
