/**
 * Starting a real `datapatch serve` for tests and measurements: the built app, the HTTP API and
 * the websocket rooms on a free port (port 0, the URL read from its output), with a fresh
 * temporary data folder that `stop` removes. With `DATAPATCH_E2E_BACKEND=postgres` it keeps its
 * accounts and update log in a PostgreSQL schema of its own and its rooms in step through Redis
 * under a key prefix of its own; `stop` drops the schema too.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  createTestSchema,
  dropKeyPrefix,
  TEST_REDIS_URL,
  type TestSchema,
  testKeyPrefix,
} from '../sync-server/src/testing/services.ts';

/** `databaseUrl`: where its accounts live when it runs on PostgreSQL. */
export type Server = { url: string; wsUrl: string; dataDir: string; databaseUrl?: string };

export type Backend = 'sqlite' | 'postgres';

/** The backend test servers run on: DATAPATCH_E2E_BACKEND (the Playwright project sets it). */
export function e2eBackend(): Backend {
  return process.env.DATAPATCH_E2E_BACKEND === 'postgres' ? 'postgres' : 'sqlite';
}

export const repoRoot = resolve(import.meta.dirname, '..');

/** The first owner account of test servers started with `{ admin: true }`. */
export const E2E_ADMIN = { email: 'e2e-owner@example.org', password: 'e2e correct horse battery staple' };

/** A hub member's account, as `datapatch user add` creates it. */
export type Person = { email: string; password: string; name: string; hub: string };

/**
 * Creates a person's account in a running server's data folder with the real CLI
 * (`datapatch user add --hub`; the hub is created if no hub has that name).
 */
export async function addPerson(server: Server, person: Person): Promise<void> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'sync-server/src/cli/main.ts',
      'user',
      'add',
      '--email',
      person.email,
      '--name',
      person.name,
      '--hub',
      person.hub,
      '--password-stdin',
      ...(server.databaseUrl === undefined
        ? ['--data', server.dataDir]
        : ['--database-url', server.databaseUrl]),
    ],
    { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, LANG: 'C' } },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stdin?.end(person.password);
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  if (code !== 0) throw new Error(`datapatch user add ${person.email} failed (${code}):\n${output}`);
}

export async function startServer(
  options: { admin?: boolean; prepare?: (dataDir: string) => void; backend?: Backend } = {},
): Promise<{ server: Server; stop: () => Promise<void> }> {
  if (!existsSync(join(repoRoot, 'app/build/index.html'))) {
    throw new Error('app/build is missing: run `pnpm build` first (pnpm test:e2e does it)');
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'datapatch-e2e-'));
  options.prepare?.(dataDir);
  const schema: TestSchema | undefined =
    (options.backend ?? e2eBackend()) === 'postgres' ? await createTestSchema() : undefined;
  const keyPrefix = testKeyPrefix();
  const dropStorage = async () => {
    if (schema === undefined) return;
    await schema.drop();
    await dropKeyPrefix(keyPrefix);
  };
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'sync-server/src/cli/main.ts',
      'serve',
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--data',
      dataDir,
      ...(schema === undefined ? [] : ['--database-url', schema.url, '--redis-url', TEST_REDIS_URL]),
    ],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        LANG: 'C',
        // The webhook specs' receiver listens on 127.0.0.1.
        DATAPATCH_WEBHOOKS_ALLOW_PRIVATE: '1',
        ...(schema === undefined ? {} : { DATAPATCH_REDIS_PREFIX: keyPrefix }),
        ...(options.admin
          ? { DATAPATCH_ADMIN_EMAIL: E2E_ADMIN.email, DATAPATCH_ADMIN_PASSWORD: E2E_ADMIN.password }
          : {}),
      },
    },
  );
  let output = '';
  const url = await new Promise<string>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start:\n${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const found = /https?:\/\/127\.0\.0\.1:\d+/.exec(output);
      if (found) {
        clearTimeout(timer);
        ready(found[0]);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.on('exit', (code) => fail(new Error(`server exited (${code}):\n${output}`)));
  }).catch(async (error: unknown) => {
    await dropStorage();
    throw error;
  });
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
    await dropStorage();
  };
  const server: Server = { url, wsUrl: `${url.replace(/^http/, 'ws')}/sync`, dataDir };
  if (schema !== undefined) server.databaseUrl = schema.url;
  return { server, stop };
}
