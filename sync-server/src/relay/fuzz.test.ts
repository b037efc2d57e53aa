/**
 * Seeded fuzzing of the relay's websocket protocol, against a child server with accounts and roles:
 * anonymous, reader and editor connections send random and structure-aware messages (see
 * testing/protocol-fuzz.ts). Invariants: the server process never exits and keeps answering; no
 * client without write rights changes a document; an editor's bad messages close only its own
 * connection; nobody changes another client's presence; the heap returns near its baseline.
 * Replay: DATAPATCH_SEED=<seed> npx vitest run sync-server/src/relay/fuzz.test.ts
 * Long run: DATAPATCH_EXTENSIVE=1 (same command).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as prng from 'lib0/prng';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { openSilentSocket, type SilentSocket, syncUrl, waitFor } from '../testing/clients.ts';
import type { FuzzServerMessage, FuzzServerRequest } from '../testing/fuzz-server.ts';
import { type FuzzMessage, ProtocolFuzzer } from '../testing/protocol-fuzz.ts';

const EXTENSIVE = Boolean(process.env.DATAPATCH_EXTENSIVE);
const SEED = Number(process.env.DATAPATCH_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** Connections per phase; each sends 1 to 4 messages then a sync step 1 as a barrier. */
const CONNECTIONS = EXTENSIVE ? 3000 : 50;
/** A leak check, not a measurement: what may stay on the heap after the run (the editor's edits live on). */
const HEAP_SLACK_BYTES = (EXTENSIVE ? 32 : 8) * 1024 * 1024;

const LIEUX = 'ds/lieux/validated';
const SECRET = 'ds/secret/validated';
const PENDING = 'ds/lieux/pending';
const ROOMS = [LIEUX, SECRET, PENDING];
/** Where fuzzing connections go: mostly the public room, where every role gets in. */
const TARGETS = [LIEUX, LIEUX, SECRET, PENDING];
type Who = 'anonymous' | 'reader' | 'editor';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const script = fileURLToPath(new URL('../testing/fuzz-server.ts', import.meta.url));

let child: ChildProcess;
let output = '';
let exited: string | null = null;
let url = '';
let tokens: { reader: string; editor: string };
let nextId = 1;
const waiting = new Map<number, (message: FuzzServerMessage) => void>();

type Request = FuzzServerRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

function ask<T extends FuzzServerMessage>(request: Request): Promise<T> {
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    if (exited) return reject(new Error(`the server exited (${exited}):\n${output}`));
    waiting.set(id, (message) => resolve(message as T));
    child.send({ ...request, id });
  });
}

async function documentState(room: string): Promise<Uint8Array> {
  const { state } = await ask<{ id: number; state: string }>({ kind: 'document', room });
  return new Uint8Array(Buffer.from(state, 'base64'));
}

async function heapUsed(): Promise<number> {
  return (await ask<{ id: number; heapUsed: number }>({ kind: 'heap' })).heapUsed;
}

beforeAll(async () => {
  console.log(`relay fuzz: seed ${SEED} (replay with DATAPATCH_SEED=${SEED})`);
  child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', script], {
    cwd: repoRoot,
    env: { ...process.env, LANG: 'C', LC_ALL: 'C' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.once('exit', (code, signal) => {
    exited = String(code ?? signal);
  });
  const ready = await new Promise<Extract<FuzzServerMessage, { kind: 'ready' }>>((resolve, reject) => {
    child.on('message', (message: FuzzServerMessage) => {
      if ('kind' in message) resolve(message);
      else waiting.get(message.id)?.(message);
    });
    child.once('exit', () => reject(new Error(`the server exited before it was ready:\n${output}`)));
  });
  url = ready.url;
  tokens = ready.tokens;
}, 60_000);

afterAll(async () => {
  if (!exited) await ask({ kind: 'stop' }).catch(() => child.kill('SIGKILL'));
});

interface HonestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  disconnects: number;
}

function honestClient(who: 'reader' | 'editor', clientId: number): HonestClient {
  const doc = new Y.Doc();
  // Fixed ids, so that a replay targets the same presences.
  doc.clientID = clientId;
  const provider = new WebsocketProvider(syncUrl(url), LIEUX, doc, {
    // biome-ignore lint/suspicious/noExplicitAny: ws is the Node WebSocket the provider expects.
    WebSocketPolyfill: WebSocket as any,
    disableBc: true,
    params: { token: tokens[who] },
  });
  // The reader is told `read-only` once; y-websocket logs it with console.warn.
  provider.messageHandlers[2] = () => undefined;
  const client: HonestClient = { doc, provider, disconnects: 0 };
  provider.on('status', ({ status }: { status: string }) => {
    if (status === 'disconnected') client.disconnects++;
  });
  return client;
}

const SYNC_STEP_1_EMPTY = new Uint8Array([0, 0, 1, 0]);

/**
 * One fuzzing connection: sends `messages`, then a sync step 1, and waits until the server has
 * either answered every sync step 1 it was sent or closed the connection. Returns the server's
 * close code, or null when the connection stayed open until the fuzzer closed it.
 */
async function fuzzConnection(who: Who, room: string, messages: FuzzMessage[], politely: boolean) {
  const query = who === 'anonymous' ? '' : `?token=${tokens[who]}`;
  const ws = new WebSocket(`${syncUrl(url)}/${room}${query}`);
  ws.on('error', () => undefined);
  let replies = 0;
  let closeCode: number | null = null;
  let closedByServer = false;
  ws.on('message', (data: Buffer) => {
    if (data[0] === 0 && data[1] === 1) replies++;
  });
  const closed = new Promise<void>((resolve) =>
    ws.once('close', (code) => {
      closeCode = code;
      resolve();
    }),
  );
  await Promise.race([new Promise((resolve) => ws.once('open', resolve)), closed]);
  const expected = messages.filter((m) => m.kind === 'sync-step-1' && !m.mutated).length + 1;
  if (ws.readyState === WebSocket.OPEN) {
    for (const { payload } of messages) ws.send(payload);
    ws.send(SYNC_STEP_1_EMPTY);
  }
  const deadline = Date.now() + 20_000;
  while (closeCode === null && replies < expected) {
    if (Date.now() > deadline)
      throw new Error(`seed ${SEED}: a ${who} connection to ${room} was left hanging`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  closedByServer = closeCode !== null;
  if (!closedByServer) {
    if (politely) ws.close();
    else ws.terminate();
    await closed;
  }
  return closedByServer ? closeCode : null;
}

/**
 * A connection that sends its messages and then never answers (not even the server's close), so
 * whatever it got into the room stays there while the next connections run, as an attacker's would.
 */
async function silentConnection(who: Who, room: string, messages: FuzzMessage[]): Promise<SilentSocket> {
  const query = who === 'anonymous' ? '' : `?token=${tokens[who]}`;
  const socket = await openSilentSocket(url, `${room}${query}`);
  for (const { payload } of messages)
    socket.send(typeof payload === 'string' ? Buffer.from(payload) : payload);
  return socket;
}

describe(`fuzzing the websocket protocol (seed ${SEED})`, () => {
  it(
    'anonymous, reader and editor messages never stop the server, never write without rights, and leave no memory behind',
    async () => {
      const schedule = prng.create(SEED);
      const editor = honestClient('editor', 1001);
      const reader = honestClient('reader', 1002);
      await waitFor(() => editor.provider.synced && reader.provider.synced, 'the honest clients to sync');
      editor.provider.awareness.setLocalStateField('user', { id: 'editor' });
      reader.provider.awareness.setLocalStateField('user', { id: 'reader' });
      await waitFor(
        () =>
          editor.provider.awareness.getStates().has(1002) && reader.provider.awareness.getStates().has(1001),
        'the honest presences',
      );

      const before = new Map<string, Uint8Array>();
      for (const room of ROOMS) before.set(room, await documentState(room));
      const fuzzers = new Map(
        ROOMS.map((room, i) => [room, new ProtocolFuzzer(SEED + i + 1, before.get(room)!, [1001, 1002])]),
      );
      const closes = new Map<string, number>();
      let sent = 0;
      const run = async (roles: Who[], connections: number) => {
        const lingering: SilentSocket[] = [];
        for (let i = 0; i < connections; i++) {
          const who = prng.oneOf(schedule, roles);
          const room = prng.oneOf(schedule, TARGETS);
          const silent = prng.real53(schedule) < 0.15;
          const fuzzer = fuzzers.get(room)!;
          const messages = Array.from({ length: fuzzer.int(1, 4) }, () => fuzzer.message());
          sent += messages.length;
          if (silent) {
            lingering.push(await silentConnection(who, room, messages));
            if (lingering.length > 2) lingering.shift()!.destroy();
            continue;
          }
          const code = await fuzzConnection(who, room, messages, fuzzer.chance(0.5));
          const label = `${who} ${code ?? 'stayed'}`;
          closes.set(label, (closes.get(label) ?? 0) + 1);
        }
        for (const socket of lingering) socket.destroy();
      };

      await run(['anonymous', 'reader'], 10);
      const baseline = await heapUsed();

      await run(['anonymous', 'reader'], CONNECTIONS);
      for (const room of ROOMS) {
        expect(Buffer.from(await documentState(room)).equals(before.get(room)!), `${room} changed`).toBe(
          true,
        );
      }

      await run(['editor'], CONNECTIONS);
      expect(Buffer.from(await documentState(PENDING)).equals(before.get(PENDING)!)).toBe(true);

      // The honest clients never lost their connection, still see each other's presence as set,
      // and the room still carries edits to everyone, joiners included.
      expect(editor.disconnects + reader.disconnects).toBe(0);
      expect(reader.provider.awareness.getStates().get(1001)).toEqual({ user: { id: 'editor' } });
      expect(editor.provider.awareness.getStates().get(1002)).toEqual({ user: { id: 'reader' } });
      editor.doc.getMap('cells').set('after-fuzz', SEED);
      await waitFor(
        () => reader.doc.getMap('cells').get('after-fuzz') === SEED,
        'the reader to get the edit',
      );
      const joiner = honestClient('reader', 1003);
      await waitFor(() => joiner.provider.synced && joiner.doc.getMap('cells').has('after-fuzz'), 'a joiner');
      expect(joiner.doc.toJSON()).toEqual(editor.doc.toJSON());
      for (const c of [editor, reader, joiner]) {
        c.provider.destroy();
        c.doc.destroy();
      }
      for (const fuzzer of fuzzers.values()) fuzzer.destroy();

      const health = await fetch(`${url}/api/health`);
      expect(health.status).toBe(200);
      const after = await heapUsed();
      console.log(
        `relay fuzz: seed ${SEED}, ${2 * CONNECTIONS + 10} connections (15% silent), ${sent} messages;`,
        `closes ${JSON.stringify(Object.fromEntries([...closes].sort()))};`,
        `heap after GC ${(baseline / 2 ** 20).toFixed(1)} MiB before, ${(after / 2 ** 20).toFixed(1)} MiB after`,
      );
      expect(exited).toBeNull();
      // A contained exception is still a bug the fuzzer found: the relay logs each one so.
      expect(output).not.toMatch(/failed in room/);
      expect(after).toBeLessThan(baseline + HEAP_SLACK_BYTES);
    },
    EXTENSIVE ? 1_800_000 : 120_000,
  );
});
