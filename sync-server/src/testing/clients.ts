/**
 * Test helpers: a server on port 0 in a temporary data folder, real y-websocket 3.1.0 clients
 * (yjs 13, ws as WebSocket), raw websockets for malformed input. Each helper cleans up what it
 * opened through `cleanup()`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { defaultSettings, type RunningServer, type StartOptions, startServer } from '../server/server.ts';

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

/** `token`: a session token, sent as `?token=` like the app does for a signed-in reader. */
export function connectClient(
  serverUrl: string,
  room: string,
  doc: Y.Doc = new Y.Doc(),
  token?: string,
): TestClient {
  const provider = new WebsocketProvider(syncUrl(serverUrl), room, doc, {
    ...(token === undefined ? {} : { params: { token } }),
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

/**
 * A websocket client that writes frames and never answers: it does not reply to the server's
 * close frame, so the server keeps the connection (and whatever it sent) until ws's close
 * timeout. What an attacker holding a connection open looks like.
 */
export interface SilentSocket {
  send(payload: Uint8Array): void;
  /** Resolves with the close code of the first close frame the server sends. */
  closeFrame: Promise<number>;
  destroy(): void;
}

export async function openSilentSocket(serverUrl: string, room: string): Promise<SilentSocket> {
  const { host, port } = new URL(serverUrl);
  const socket = connect(Number(port), host.replace(/:\d+$/, '').replace(/^\[|\]$/g, ''));
  let received = Buffer.alloc(0);
  let upgraded: () => void = () => undefined;
  let closed: (code: number) => void = () => undefined;
  const closeFrame = new Promise<number>((resolve) => {
    closed = resolve;
  });
  const opened = new Promise<void>((resolve, reject) => {
    upgraded = resolve;
    socket.once('error', reject);
  });
  let headerDone = false;
  socket.on('data', (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
    if (!headerDone) {
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      headerDone = true;
      received = received.subarray(end + 4);
      upgraded();
    }
    // Server frames are never masked; small ones only are read (close frames are).
    while (received.length >= 2) {
      const length = received[1]! & 0x7f;
      const header = length === 126 ? 4 : length === 127 ? 10 : 2;
      const size =
        length === 126
          ? received.readUInt16BE(2)
          : length === 127
            ? Number(received.readBigUInt64BE(2))
            : length;
      if (received.length < header + size) return;
      if ((received[0]! & 0x0f) === 0x8) closed(size >= 2 ? received.readUInt16BE(header) : 1005);
      received = received.subarray(header + size);
    }
  });
  socket.on('error', () => undefined);
  socket.write(
    `GET /sync/${room} HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  );
  await opened;
  return {
    send(payload) {
      // A client frame must be masked; a zero mask leaves the payload as it is.
      const length = payload.length;
      const header =
        length < 126
          ? Buffer.from([0x82, 0x80 | length])
          : length < 65536
            ? Buffer.from([0x82, 0x80 | 126, length >> 8, length & 0xff])
            : Buffer.concat([Buffer.from([0x82, 0x80 | 127]), bigLength(length)]);
      socket.write(Buffer.concat([header, Buffer.alloc(4), payload]));
    },
    closeFrame,
    destroy: () => socket.destroy(),
  };
}

function bigLength(length: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(BigInt(length));
  return bytes;
}
