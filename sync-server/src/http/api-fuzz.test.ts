/**
 * A seeded fuzz of every route `/api/openapi.json` describes (issue 14): malformed, oversized
 * and mistyped path parameters, queries, headers and bodies, sent as an anonymous visitor and
 * as a signed-in account with no role. Invariants: no answer is a 5xx, and the datasets' rows,
 * schema, settings, roles, invites, changelog and moderated proposals are the same afterwards
 * (the public dataset may only gain pending proposals: anyone may propose). Short in the normal
 * run, long with DATAPATCH_EXTENSIVE=1; the seed is printed, replay with DATAPATCH_SEED.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccessTestServer, startAccessServer } from '../testing/http-server.ts';
import type { OpenApiOperation, OpenApiPathItem } from './openapi.ts';

const extensive = process.env.DATAPATCH_EXTENSIVE === '1';
const seed = Number(process.env.DATAPATCH_SEED ?? Math.floor(Math.random() * 2 ** 31));
const REQUESTS = extensive ? 6000 : 400;

/** mulberry32: small, seeded, good enough to pick mutations. */
function randomSource(start: number) {
  let state = start >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (below: number) => Math.floor(next() * below),
    pick<T>(items: readonly T[]): T {
      return items[Math.floor(next() * items.length)] as T;
    },
    chance: (p: number) => next() < p,
  };
}
type Random = ReturnType<typeof randomSource>;

const deep = (depth: number, open: string, close: string) => open.repeat(depth) + close.repeat(depth);

/** Path parameter values: real ids, ids of nothing, and what no id looks like. */
const PATH_VALUES = [
  'lieux',
  'secret',
  'nouveau',
  'inconnu',
  '..',
  '%2e%2e%2fsecret',
  'a'.repeat(300),
  "1' OR '1'='1",
  '%00',
  '__proto__',
  'constructor',
  '-1',
  '0',
  '99999999999999999999',
  '%F0%9F%99%82',
  '%C3%A9t%C3%A9',
  'user',
  'hub',
  '%25',
  '%ZZ',
];

const SCALARS: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e308,
  -0,
  Number.MAX_SAFE_INTEGER + 2,
  '',
  ' ',
  'x',
  'owner',
  'editor',
  'moderator',
  'reader',
  'public',
  'private',
  'open',
  'closed',
  'pending',
  'user',
  'hub',
  'a@example.org',
  'owner@example.org',
  'javascript:alert(1)',
  '<script>alert(1)</script>',
  '\u0000',
  '\ud800',
  '🙂',
  '1970-01-01T00:00:00Z',
  '__proto__',
];

function value(random: Random, depth = 0): unknown {
  const roll = random.int(10);
  if (depth > 3 || roll < 6) return random.pick(SCALARS);
  if (roll === 6) return 'x'.repeat(random.pick([1000, 70_000]));
  if (roll === 7) return Array.from({ length: random.int(4) }, () => value(random, depth + 1));
  if (roll === 8) return JSON.parse(deep(random.pick([50, 2000]), '[', ']'));
  const object: Record<string, unknown> = {};
  for (let i = random.int(4); i > 0; i--)
    object[random.pick(['a', 'nom', '__proto__', 'row', 'x'])] = value(random, depth + 1);
  return object;
}

/** A JSON object shaped after the operation's schema, each property given a random value. */
function mistypedObject(random: Random, schema: { properties?: Record<string, unknown> } | undefined) {
  const object: Record<string, unknown> = {};
  for (const name of Object.keys(schema?.properties ?? {})) {
    if (random.chance(0.7)) object[name] = value(random);
  }
  if (random.chance(0.3)) object[random.pick(['extra', '__proto__', 'constructor'])] = value(random);
  return object;
}

type Body = { bytes: string | Buffer; type: string | null };

/** A multipart body, well-formed or broken in its boundary, headers or framing. */
function multipart(random: Random): Body {
  const boundary = random.pick(['x', 'abc', '']);
  const framing = random.pick([
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nnom\nA\n--${boundary}--`,
    `--${boundary}\r\nContent-Disposition: form-data; name="file"`,
    `--${boundary}\r\n\r\n\r\n--${boundary}--`,
    `--${boundary}\r\nbroken header\r\n\r\nvalue\r\n--${boundary}--`,
    'garbage',
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nnom\nA\r\n--${boundary}\r\nContent-Disposition: form-data; name="schema"\r\n\r\n${random.pick(['{"fields":[]}', '{', 'null', `{"fields":${deep(500, '[', ']')}}`, '{"fields":[{"name":1}]}'])}\r\n--${boundary}--`,
  ]);
  return {
    bytes: framing,
    type: random.pick([
      `multipart/form-data; boundary=${boundary}`,
      `multipart/form-data; boundary=${boundary}`,
      'multipart/form-data',
      'multipart/form-data; boundary=',
      'multipart/mixed; boundary=x',
    ]),
  };
}

function body(random: Random, operation: OpenApiOperation): Body | null {
  const content = operation.requestBody?.content ?? {};
  const declared = Object.keys(content);
  if (declared.length === 0 && random.chance(0.7)) return null;
  const json = content['application/json']?.schema as { properties?: Record<string, unknown> } | undefined;
  // Structure-aware half the time: the body kind the route reads, malformed.
  const aware = random.chance(0.5);
  if (aware && declared.includes('multipart/form-data')) return multipart(random);
  if (aware && json) return { bytes: JSON.stringify(mistypedObject(random, json)), type: 'application/json' };
  switch (random.int(9)) {
    case 0:
    case 1:
    case 2:
      return { bytes: JSON.stringify(mistypedObject(random, json)), type: 'application/json' };
    case 3:
      return {
        bytes: random.pick([
          '{',
          '{"a":',
          'null',
          '[]',
          '"text"',
          '1',
          '\u0000',
          '',
          '{"a":1}}',
          deep(3000, '[', ']'),
        ]),
        type: random.pick(['application/json', 'application/json; charset=utf-16', 'text/plain']),
      };
    case 4:
      // Oversized: 2 MiB of one JSON string.
      return { bytes: JSON.stringify({ x: 'x'.repeat(2 * 1024 * 1024) }), type: 'application/json' };
    case 5:
      return multipart(random);
    case 6:
      return {
        bytes: Buffer.from(Array.from({ length: random.int(4096) }, () => random.int(256))),
        type: random.pick([null, 'application/octet-stream', 'text/csv', 'application/json']),
      };
    case 7:
      return { bytes: 'a=1&b=2&__proto__=x', type: 'application/x-www-form-urlencoded' };
    default:
      return { bytes: 'nom,places\nMairie,3\n', type: random.pick(['text/csv', null, 'application/json']) };
  }
}

const QUERY_VALUES = [
  '',
  '-1',
  '0',
  '1',
  '1e309',
  'NaN',
  '99999999999999999999',
  'true',
  'json',
  'csv',
  'geojson',
  'xml',
  'tab',
  ';',
  'excel',
  'pending',
  'accepted',
  '[]',
  '{}',
  '%',
  '%00',
  'a'.repeat(5000),
  "' OR 1=1 --",
];

function query(random: Random, operation: OpenApiOperation): string {
  const params = new URLSearchParams();
  for (const parameter of operation.parameters ?? []) {
    if (parameter.in !== 'query' || random.chance(0.5)) continue;
    for (let i = random.chance(0.2) ? 2 : 1; i > 0; i--)
      params.append(parameter.name, random.pick(QUERY_VALUES));
  }
  if (random.chance(0.2))
    params.append(random.pick(['filter.nom', 'filter.__proto__', 'filter.', 'x']), random.pick(QUERY_VALUES));
  const text = params.toString();
  return text ? `?${text}` : '';
}

const CALLERS = ['anonymous', 'stranger'] as const;

function headers(
  random: Random,
  server: AccessTestServer,
  who: (typeof CALLERS)[number],
): Record<string, string> {
  const out: Record<string, string> = who === 'anonymous' ? {} : { ...server.headers('stranger') };
  if (who === 'anonymous' && random.chance(0.3))
    out.authorization = random.pick([
      'Bearer',
      'Bearer ',
      'Bearer x',
      'Basic YTpi',
      `Bearer ${'a'.repeat(8000)}`,
      'Bearer dps_',
    ]);
  if (random.chance(0.2))
    out.cookie = random.pick([
      'datapatch_session=x',
      'datapatch_session=',
      'a=b; datapatch_session=dps_x',
      '=',
    ]);
  if (random.chance(0.2))
    out.origin = random.pick(['null', 'http://evil.example', 'not a url', 'http://127.0.0.1']);
  if (random.chance(0.15)) out['if-none-match'] = random.pick(['*', '"x"', 'W/"', ',,,', '"'.repeat(100)]);
  if (random.chance(0.1)) out['x-forwarded-for'] = random.pick(['', 'x', '1.2.3.4, 5.6.7.8', '::1']);
  if (random.chance(0.1)) out['idempotency-key'] = random.pick(['', 'k', 'k'.repeat(1000)]);
  if (random.chance(0.1)) out['sec-fetch-site'] = random.pick(['same-origin', 'cross-site', '']);
  return out;
}

interface Sent {
  method: string;
  path: string;
  status: number;
  text: string;
}

function send(
  server: AccessTestServer,
  method: string,
  path: string,
  head: Record<string, string>,
  payload: Body | null,
): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const bytes = payload === null ? null : Buffer.from(payload.bytes);
    const all: Record<string, string> = { ...head };
    if (payload?.type) all['content-type'] = payload.type;
    if (bytes) all['content-length'] = String(bytes.length);
    const req = httpRequest(
      { host: '127.0.0.1', port: server.server.port, method: method.toUpperCase(), path, headers: all },
      (res) => {
        // A live stream (the change feed's Server-Sent Events) never ends: its status is the answer.
        if (res.headers['content-type']?.startsWith('text/event-stream')) {
          req.destroy();
          resolve({ method, path, status: res.statusCode ?? 0, text: '' });
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            method,
            path,
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString().slice(0, 300),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(bytes ?? undefined);
  });
}

/** What a caller without rights must never change, read as the owner. */
async function snapshot(server: AccessTestServer) {
  const read = async (path: string) => {
    const response = await fetch(`${server.server.url}${path}`, { headers: server.headers('owner') });
    return { status: response.status, body: await response.json() };
  };
  const out: Record<string, unknown> = {};
  for (const id of ['lieux', 'secret']) {
    out[`${id} rows`] = await read(`/api/datasets/${id}/rows?limit=1000`);
    out[`${id} schema`] = await read(`/api/datasets/${id}/schema`);
    out[`${id} settings`] = await read(`/api/datasets/${id}/settings`);
    out[`${id} roles`] = await read(`/api/datasets/${id}/roles`);
    out[`${id} invites`] = await read(`/api/datasets/${id}/invites`);
    out[`${id} changes`] = await read(`/api/datasets/${id}/changes?limit=1000`);
  }
  return out;
}

async function proposals(server: AccessTestServer, id: string) {
  const response = await fetch(`${server.server.url}/api/datasets/${id}/proposals?limit=1000`, {
    headers: server.headers('owner'),
  });
  const body = (await response.json()) as { proposals?: { id: string; status: string }[] };
  return body.proposals ?? [];
}

describe(`every /api route with malformed input (seed ${seed})`, () => {
  let server: AccessTestServer;
  beforeAll(async () => {
    server = await startAccessServer({ importLimits: { maxBytes: 256 * 1024, timeBudgetMs: 20_000 } });
  });
  afterAll(async () => {
    await server?.cleanup();
  });

  it(
    `answers ${REQUESTS} requests without a 5xx and changes nothing it may not`,
    async () => {
      console.log(`api fuzz: seed ${seed} (replay: DATAPATCH_SEED=${seed}), ${REQUESTS} requests`);
      const random = randomSource(seed);
      const document = (await (await fetch(`${server.server.url}/api/openapi.json`)).json()) as {
        paths: Record<string, OpenApiPathItem>;
      };
      const operations = Object.entries(document.paths).flatMap(([path, item]) =>
        Object.entries(item).map(([method, operation]) => ({
          path,
          method,
          operation: operation as OpenApiOperation,
        })),
      );
      expect(operations.length).toBeGreaterThan(20);
      const before = await snapshot(server);
      const pendingBefore = await proposals(server, 'lieux');
      const secretBefore = await proposals(server, 'secret');
      const failures: Sent[] = [];
      const seen = new Set<string>();
      for (let i = 0; i < REQUESTS; i++) {
        // Every operation once before any twice, then at random.
        const { path, method, operation } = i < operations.length ? operations[i]! : random.pick(operations);
        // Signing the fuzzing account out would leave only anonymous calls.
        const who = path === '/api/auth/logout' ? 'anonymous' : random.pick(CALLERS);
        const concrete = path.replace(/\{(\w+)\}/g, () => {
          const raw = random.pick(PATH_VALUES);
          return raw.includes('%') ? raw : encodeURIComponent(raw);
        });
        const sent = await send(
          server,
          method,
          `${concrete}${query(random, operation)}`,
          headers(random, server, who),
          body(random, operation),
        );
        seen.add(`${method} ${path}`);
        if (sent.status >= 500) failures.push(sent);
      }
      expect(failures, JSON.stringify(failures.slice(0, 5), null, 1)).toEqual([]);
      expect(seen.size).toBe(operations.length);
      expect(await snapshot(server)).toEqual(before);
      // Anyone may propose on the public dataset: new proposals may appear there, pending; none moved.
      const pendingAfter = await proposals(server, 'lieux');
      for (const proposal of pendingBefore) expect(pendingAfter).toContainEqual(proposal);
      for (const proposal of pendingAfter) expect(proposal.status).toBe('pending');
      expect(await proposals(server, 'secret')).toEqual(secretBefore);
    },
    extensive ? 900_000 : 120_000,
  );
});
