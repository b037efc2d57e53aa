/**
 * Runs a one-shot `datapatch …` command (backup, restore, store copy…) as its own process, as
 * an operator or a cron job would, and resolves with its exit code and everything it printed.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const cli = fileURLToPath(new URL('../cli/main.ts', import.meta.url));

export function runDatapatch(args: readonly string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], {
      cwd: repoRoot,
      env: { ...process.env, LANG: 'C', LC_ALL: 'C' },
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.once('exit', (code) => resolve({ code, output: Buffer.concat(chunks).toString() }));
  });
}
