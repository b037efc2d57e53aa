/**
 * Runs `datapatch serve` as a child process (tsx), on port 0 in a given data folder, and reads
 * its URL from the first line it prints. For tests that must kill the server for real.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const cli = fileURLToPath(new URL('../cli/main.ts', import.meta.url));

export interface ChildServer {
  url: string;
  process: ChildProcess;
  /** Resolves with the exit code (or signal name) once the process is gone. */
  exited: Promise<number | string>;
  output: () => string;
}

/**
 * `env` defaults to open access (every room writable, as before accounts); pass `{}` or the
 * DATAPATCH_ADMIN_* variables to run with accounts and roles.
 */
export async function spawnServer(
  dataDir: string,
  extraArgs: string[] = [],
  env: NodeJS.ProcessEnv = { DATAPATCH_INSECURE_OPEN_ACCESS: '1' },
): Promise<ChildServer> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', cli, 'serve', '--port', '0', '--data', dataDir, '--no-demo', ...extraArgs],
    {
      cwd: repoRoot,
      env: { ...process.env, ...env, LANG: 'C', LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    void exited.then((code) => reject(new Error(`server exited (${code}) before listening:\n${output}`)));
  });
  return { url, process: child, exited, output: () => output };
}
