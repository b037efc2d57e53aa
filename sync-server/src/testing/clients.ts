/**
 * Test helpers: a server on port 0 in a temporary data folder, real y-websocket 3.1.0 clients
 * (yjs 13, ws as WebSocket), raw websockets for malformed input. Each helper cleans up what it
 * opened through `cleanup()`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { defaultSettings, type RunningServer, type StartOptions, startServer } from '../server.ts';

export function temporaryDataDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'datapatch-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function startTestServer(
  overrides: Partial<StartOptions> & { dataDir: string },
): Promise<RunningServer> {
  // Tests of the relay and data API predate accounts: open access unless they ask otherwise.
  return startServer({
    ...defaultSettings,
    port: 0,
    appDir: null,
    roomGraceMs: 60_000,
    openAccess: true,
    ...overrides,
  });
}

export function syncUrl(serverUrl: string): string {
  return `${serverUrl.replace(/^http/, 'ws')}/sync`;
}

export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
}

export function connectClient(serverUrl: string, room: string, doc: Y.Doc = new Y.Doc()): TestClient {
  const provider = new WebsocketProvider(syncUrl(serverUrl), room, doc, {
    // biome-ignore lint/suspicious/noExplicitAny: ws is the Node WebSocket the provider expects.
    WebSocketPolyfill: WebSocket as any,
    // Clients in one process would otherwise sync through BroadcastChannel, not the server.
    disableBc: true,
  });
  return { doc, provider };
}

export function closeClient(client: TestClient): void {
  client.provider.destroy();
  client.doc.destroy();
}

export async function waitFor(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export async function waitSynced(client: TestClient): Promise<void> {
  await waitFor(() => client.provider.synced, 'the client to sync');
}

/** Opens a raw websocket on a room and resolves once it is open. */
export async function openRawSocket(serverUrl: string, room: string): Promise<WebSocket> {
  const ws = new WebSocket(`${syncUrl(serverUrl)}/${room}`);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return ws;
}

export function closeCode(ws: WebSocket): Promise<number> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.reject(new Error('already closed'));
  return new Promise((resolve) => ws.once('close', (code) => resolve(code)));
}
