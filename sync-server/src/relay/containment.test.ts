/**
 * An exception thrown inside the relay (here: encoding presences, made to fail on purpose) stays
 * in its connection or room and is logged with the room's name; it never leaves the relay.
 */
import { CLOSE_INTERNAL_ERROR } from '@datapatch/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunningServer } from '../server/server.ts';
import {
  closeClient,
  closeCode,
  connectClient,
  openRawSocket,
  startTestServer,
  type TestClient,
  temporaryDataDir,
  waitFor,
  waitSynced,
} from '../testing/clients.ts';
import { QUERY_AWARENESS } from '../testing/messages.ts';

const injected = vi.hoisted(() => ({ failPresences: false }));

vi.mock('./sync-messages.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./sync-messages.ts')>();
  return {
    ...actual,
    awarenessMessage: (...args: Parameters<typeof actual.awarenessMessage>) => {
      if (injected.failPresences) throw new Error('injected failure');
      return actual.awarenessMessage(...args);
    },
  };
});

const ROOM = 'ds/demo/validated';
let cleanups: (() => Promise<void> | void)[] = [];
const escaped: unknown[] = [];
const onEscape = (error: unknown) => escaped.push(error);

beforeEach(() => {
  injected.failPresences = false;
  escaped.length = 0;
  process.on('uncaughtException', onEscape);
  process.on('unhandledRejection', onEscape);
});

afterEach(async () => {
  process.off('uncaughtException', onEscape);
  process.off('unhandledRejection', onEscape);
  vi.restoreAllMocks();
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function server(): Promise<RunningServer> {
  const data = temporaryDataDir();
  const running = await startTestServer({ dataDir: data.dir });
  cleanups.push(async () => {
    await running.close();
    data.remove();
  });
  return running;
}

async function client(running: RunningServer): Promise<TestClient> {
  const c = connectClient(running.url, ROOM);
  cleanups.push(() => closeClient(c));
  await waitSynced(c);
  return c;
}

function loggedFor(errorLog: { mock: { calls: unknown[][] } }, room: string): boolean {
  return errorLog.mock.calls.some((call) => String(call[0]).includes(room));
}

describe('an exception inside the relay stays where it happened', () => {
  it('a failing presence listener is logged with its room; the sender and the room carry on', async () => {
    const running = await server();
    const [ann, bob] = [await client(running), await client(running)];
    const errorLog = vi.spyOn(console, 'error').mockImplementation(() => undefined);

    injected.failPresences = true;
    ann.provider.awareness.setLocalStateField('user', 'ann');
    await waitFor(() => loggedFor(errorLog, ROOM), 'the failure to be logged with the room');
    injected.failPresences = false;

    ann.doc.getMap('cells').set('after', 1);
    await waitFor(() => bob.doc.getMap('cells').get('after') === 1, 'the room to keep relaying');
    const late = await client(running);
    expect(late.doc.getMap('cells').get('after')).toBe(1);
    expect(ann.provider.wsconnected).toBe(true);
    expect(escaped).toEqual([]);
  });

  it('a message handler that throws closes that connection with 1011, and only it', async () => {
    const running = await server();
    const [ann, bob] = [await client(running), await client(running)];
    const errorLog = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const querier = await openRawSocket(running.url, ROOM);
    const closed = closeCode(querier);

    injected.failPresences = true;
    querier.send(QUERY_AWARENESS);
    expect(await closed).toBe(CLOSE_INTERNAL_ERROR);
    injected.failPresences = false;
    expect(loggedFor(errorLog, ROOM)).toBe(true);

    ann.doc.getMap('cells').set('after', 1);
    await waitFor(() => bob.doc.getMap('cells').get('after') === 1, 'the room to keep relaying');
    expect((await fetch(`${running.url}/api/health`)).status).toBe(200);
    expect(escaped).toEqual([]);
  });
});
