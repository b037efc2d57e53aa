/**
 * Test fixtures: `server` starts a real Data Patch server (the built app, HTTP API, websocket
 * rooms) on a free port with a fresh temporary data folder, one per worker, and stops it after;
 * `demo` opens the demo dataset's validated document as another Yjs client would (signed in as
 * the server's first owner, so what it writes is accepted and relayed).
 */
import { RowIndex, readSchema, type TableSchema } from '@datapatch/core';
import { roomName } from '@datapatch/protocol';
import { test as base, expect } from '@playwright/test';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { E2E_ADMIN, type Server, startServer } from './server.ts';

export { repoRoot, type Server } from './server.ts';

export type DatasetClient = {
  id: string;
  doc: Y.Doc;
  rows: RowIndex;
  schema: TableSchema;
};

/** A bearer token of the test server's owner (who may write every dataset). */
export async function ownerToken(server: Server): Promise<string> {
  const response = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ ...E2E_ADMIN, kind: 'bearer' }),
  });
  const body = (await response.json()) as { token?: string };
  if (!response.ok || typeof body.token !== 'string') {
    throw new Error(`owner sign-in failed (${response.status}): ${JSON.stringify(body)}`);
  }
  return body.token;
}

/**
 * Connects a Yjs client (y-websocket in this process, as the owner when given a token, so its
 * edits are accepted) to a dataset and waits for the first sync.
 */
export async function openDataset(
  server: Server,
  id: string,
  token?: string,
): Promise<DatasetClient & { close: () => void }> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(server.wsUrl, roomName(id, 'validated'), doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    ...(token === undefined ? {} : { params: { token } }),
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
      const { server, stop } = await startServer({ admin: true });
      await use(server);
      await stop();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  demo: async ({ server }, use) => {
    const client = await openDataset(server, await demoDatasetId(server), await ownerToken(server));
    await use(client);
    client.close();
  },
});

export { expect };
