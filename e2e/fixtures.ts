/**
 * Test fixtures: `server` starts a real Data Patch server (the built app, HTTP API, websocket
 * rooms) on a free port with a fresh temporary data folder, one per worker, and stops it after;
 * `demo` opens the demo dataset's validated document as another Yjs client would.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RowIndex, readSchema, type TableSchema } from '@datapatch/core';
import { roomName } from '@datapatch/protocol';
import { test as base, expect } from '@playwright/test';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

export const repoRoot = resolve(import.meta.dirname, '..');

export type Server = { url: string; wsUrl: string; dataDir: string };
export type DatasetClient = {
  id: string;
  doc: Y.Doc;
  rows: RowIndex;
  schema: TableSchema;
};

async function startServer(): Promise<{ server: Server; stop: () => Promise<void> }> {
  if (!existsSync(join(repoRoot, 'app/build/index.html'))) {
    throw new Error('app/build is missing: run `pnpm build` first (pnpm test:e2e does it)');
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'datapatch-e2e-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'sync-server/src/cli.ts',
      'serve',
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--data',
      dataDir,
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LANG: 'C' } },
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
  };
  return { server: { url, wsUrl: `${url.replace(/^http/, 'ws')}/sync`, dataDir }, stop };
}

/** Connects a Yjs client (y-websocket in this process) to a dataset and waits for the first sync. */
export async function openDataset(
  server: Server,
  id: string,
): Promise<DatasetClient & { close: () => void }> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(server.wsUrl, roomName(id, 'validated'), doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  await new Promise<void>((synced) => {
    if (provider.synced) synced();
    provider.once('sync', () => synced());
  });
  const rows = new RowIndex(doc);
  return {
    id,
    doc,
    rows,
    schema: readSchema(doc),
    close: () => {
      rows.destroy();
      provider.destroy();
      doc.destroy();
    },
  };
}

/** The demo dataset: the first one the server lists. */
export async function demoDatasetId(server: Server): Promise<string> {
  const response = await fetch(`${server.url}/api/datasets`);
  expect(response.ok).toBe(true);
  const body = (await response.json()) as { datasets?: { id: string }[] } | { id: string }[];
  const list = Array.isArray(body) ? body : (body.datasets ?? []);
  const first = list[0];
  if (first === undefined) throw new Error('the server lists no dataset: the demo dataset is missing');
  return first.id;
}

/**
 * One server per worker (tests share it, each in a fresh browser context): starting one costs
 * ~5 s, as much as a test. Tests that write read the data they need afresh, so order does not matter.
 */
export const test = base.extend<{ demo: DatasetClient }, { server: Server }>({
  server: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern.
    async ({}, use) => {
      const { server, stop } = await startServer();
      await use(server);
      await stop();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  demo: async ({ server }, use) => {
    const client = await openDataset(server, await demoDatasetId(server));
    await use(client);
    client.close();
  },
});

export { expect };
