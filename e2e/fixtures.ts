/**
 * Test fixtures: `server` starts a real Data Patch server (the built app, HTTP API, websocket
 * rooms) on a free port with a fresh temporary data folder, one per worker, and stops it after;
 * `demo` opens the demo dataset's validated document as another Yjs client would (signed in as
 * the server's first owner, so what it writes is accepted and relayed). Every test, through the
 * automatic `browserErrors` fixture, fails on an uncaught page error or a console error in any of
 * its browser contexts, unless it declared that message with a reason.
 */
import { RowIndex, readSchema, type TableSchema } from '@datapatch/core';
import { roomName } from '@datapatch/protocol';
import { type Browser, type BrowserContext, test as base, expect } from '@playwright/test';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { requireServices } from '../sync-server/src/testing/services.ts';
import { addPerson, type Backend, E2E_ADMIN, type Person, type Server, startServer } from './server.ts';

export { type Person, repoRoot, type Server } from './server.ts';

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
 * Real people of three hubs, created with `datapatch user add` on the worker's server the first
 * time a test asks for them: Alice (Hub Nord) and Bruno (Hub Sud), whose hubs the owner makes
 * moderators of the demo dataset through the roles API (moderators may edit too), and Camille
 * (Hub Est), who has no role until she accepts an invitation.
 */
export type People = { alice: Person; bruno: Person; camille: Person };

export const PEOPLE: People = {
  alice: {
    email: 'alice@nord.example.org',
    password: 'alice correct horse battery',
    name: 'Alice Nord',
    hub: 'Hub Nord',
  },
  bruno: {
    email: 'bruno@sud.example.org',
    password: 'bruno correct horse battery',
    name: 'Bruno Sud',
    hub: 'Hub Sud',
  },
  camille: {
    email: 'camille@est.example.org',
    password: 'camille correct horse battery',
    name: 'Camille Est',
    hub: 'Hub Est',
  },
};

async function api(server: Server, token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, origin: server.url, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** A bearer token of one person (signing in through the API as the app does). */
export async function personToken(
  server: Server,
  person: { email: string; password: string },
): Promise<string> {
  const response = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ email: person.email, password: person.password, kind: 'bearer' }),
  });
  const body = (await response.json()) as { token?: string };
  if (!response.ok || typeof body.token !== 'string')
    throw new Error(`${person.email} could not sign in (${response.status})`);
  return body.token;
}

async function createPeople(server: Server): Promise<People> {
  for (const person of Object.values(PEOPLE)) await addPerson(server, person);
  const owner = await ownerToken(server);
  const datasetId = await demoDatasetId(server);
  for (const person of [PEOPLE.alice, PEOPLE.bruno]) {
    const me = await api(server, await personToken(server, person), 'GET', '/api/auth/me');
    const hubs = (me.user as { hubs?: { id: string; name: string }[] } | undefined)?.hubs ?? [];
    const hub = hubs.find((h) => h.name === person.hub);
    if (hub === undefined) throw new Error(`${person.email} is in no hub named ${person.hub}`);
    await api(server, owner, 'PUT', `/api/datasets/${datasetId}/roles`, {
      subject: { kind: 'hub', id: hub.id },
      role: 'moderator',
    });
  }
  return PEOPLE;
}

/**
 * A console message a test expects, named with the reason it is not a defect. Nothing else may
 * reach the console as an error.
 */
export type ExpectedConsoleError = { message: RegExp; url?: RegExp; why: string };

/**
 * Console errors every test may see. Each entry names what it is and why it is harmless.
 */
// Anonymous pages ask GET /api/auth/session, which answers 200 {user: null}: no 401 to expect.
const EXPECTED_EVERYWHERE: ExpectedConsoleError[] = [];

/**
 * Watches every browser context of a test (the default one and those made with
 * `browser.newContext()` / `browser.newPage()`): an uncaught page error or a console error fails
 * the test, unless the test declared it with `browserErrors.expect(...)` and a reason.
 */
export class BrowserErrors {
  readonly seen: string[] = [];
  private readonly expected: ExpectedConsoleError[] = [...EXPECTED_EVERYWHERE];
  private readonly watched = new WeakSet<BrowserContext>();

  /** Declares a console error this test causes on purpose (an unreachable server, a refused socket…). */
  expect(error: ExpectedConsoleError): void {
    this.expected.push(error);
  }

  watch(context: BrowserContext): void {
    if (this.watched.has(context)) return;
    this.watched.add(context);
    context.on('weberror', (error) => {
      const e = error.error();
      this.seen.push(`page error on ${error.page()?.url() ?? '?'}: ${e.stack ?? e.message}`);
    });
    context.on('console', (message) => {
      if (message.type() !== 'error') return;
      const text = message.text();
      const url = message.location().url;
      if (this.expected.some((x) => x.message.test(text) && (x.url === undefined || x.url.test(url)))) return;
      this.seen.push(`console error on ${message.page()?.url() ?? '?'} (${url}): ${text}`);
    });
  }
}

function watchNewContexts(browser: Browser, errors: BrowserErrors): () => void {
  const newContext = browser.newContext;
  browser.newContext = async (...args: Parameters<Browser['newContext']>) => {
    const context = await newContext.apply(browser, args);
    errors.watch(context);
    return context;
  };
  return () => {
    browser.newContext = newContext;
  };
}

/** Why this worker's tests are skipped (its backend's services do not answer), by worker. */
const skipReasons = new Map<number, string>();

/**
 * One server per worker (tests share it, each in a fresh browser context): starting one costs
 * ~5 s, as much as a test. Tests that write read the data they need afresh, so order does not matter.
 */
export const test = base.extend<
  { demo: DatasetClient; browserErrors: BrowserErrors; backendSkip: undefined },
  { backend: Backend; server: Server; people: People }
>({
  // The project's backend (its metadata) for every server this worker starts. PostgreSQL and
  // Redis must answer: under CI=true their absence fails the run (requireServices throws),
  // elsewhere `backendSkip` skips each test with the reason printed.
  backend: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern.
    async ({}, use, workerInfo) => {
      const backend: Backend = workerInfo.project.metadata.backend === 'postgres' ? 'postgres' : 'sqlite';
      process.env.DATAPATCH_E2E_BACKEND = backend;
      if (backend === 'postgres') {
        const probe = await requireServices('the browser tests on PostgreSQL and Redis', [
          'postgres',
          'redis',
        ]);
        if (!probe.available) skipReasons.set(workerInfo.workerIndex, probe.reason);
      }
      await use(backend);
    },
    { scope: 'worker', auto: true },
  ],
  backendSkip: [
    async ({ backend }, use, testInfo) => {
      const reason = skipReasons.get(testInfo.workerIndex);
      // Skipped only outside CI, when PostgreSQL or Redis does not answer (requireServices printed why).
      testInfo.skip(reason !== undefined, `${backend} backend skipped: ${reason}`);
      await use(undefined);
    },
    { auto: true },
  ],
  browserErrors: [
    async ({ browser }, use) => {
      const errors = new BrowserErrors();
      const restore = watchNewContexts(browser, errors);
      await use(errors);
      restore();
      expect(errors.seen, 'page errors and console errors in the browser').toEqual([]);
    },
    { auto: true },
  ],
  context: async ({ context, browserErrors }, use) => {
    browserErrors.watch(context);
    await use(context);
  },
  server: [
    async ({ backend }, use) => {
      const { server, stop } = await startServer({ admin: true, backend });
      await use(server);
      await stop();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  people: [
    async ({ server }, use) => {
      await use(await createPeople(server));
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
