/**
 * PostgreSQL and Redis for tests: a probe that says whether each answers, a schema of its own
 * per test (dropped after) and a key prefix of its own. Invariant: under `CI=true` (or
 * `DATAPATCH_REQUIRE_SERVICES=1`, which .ci/run sets) an unreachable service is a failure
 * (`requireServices` throws); elsewhere the tests that need it are skipped and say so, with why.
 */
import { randomBytes } from 'node:crypto';
import { Socket } from 'node:net';
import pg from 'pg';

export const TEST_DATABASE_URL =
  process.env.DATAPATCH_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.DATAPATCH_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface ServiceProbe {
  available: boolean;
  /** Why it is not, for the skip message. */
  reason: string;
}

async function probePostgres(): Promise<ServiceProbe> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { available: true, reason: '' };
  } catch (error) {
    return {
      available: false,
      reason: `PostgreSQL unreachable at ${TEST_DATABASE_URL}: ${(error as Error).message}`,
    };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A PING over a bare socket: no client library, no reconnect loop to tear down. */
export function pingRedis(url: string, timeoutMs = 2_000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(Number(port || 6379), hostname, () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

async function probeRedis(): Promise<ServiceProbe> {
  return (await pingRedis(TEST_REDIS_URL))
    ? { available: true, reason: '' }
    : { available: false, reason: `Redis unreachable at ${TEST_REDIS_URL}` };
}

/**
 * Probes the services a test file needs. Under CI=true a missing one throws (the file fails);
 * otherwise it prints why the file's tests are skipped.
 */
export async function requireServices(
  what: string,
  services: readonly ('postgres' | 'redis')[],
): Promise<ServiceProbe> {
  const probes = await Promise.all(services.map((s) => (s === 'postgres' ? probePostgres() : probeRedis())));
  const missing = probes.filter((probe) => !probe.available).map((probe) => probe.reason);
  if (missing.length === 0) return { available: true, reason: '' };
  const reason = missing.join('; ');
  if (process.env.CI === 'true' || process.env.DATAPATCH_REQUIRE_SERVICES === '1')
    throw new Error(`${what} must run in CI, but ${reason}`);
  console.warn(`SKIPPED ${what}: ${reason} (start it, or run with CI=true to make this a failure)`);
  return { available: false, reason };
}

export interface TestSchema {
  /** TEST_DATABASE_URL whose connections use this schema only. */
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh PostgreSQL schema (in `baseUrl`'s database); `drop()` removes it and all in it. */
export async function createTestSchema(baseUrl = TEST_DATABASE_URL): Promise<TestSchema> {
  const name = `datapatch_test_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: baseUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE SCHEMA ${name}`);
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${name}`);
  return { url: url.toString(), name, drop: () => admin(`DROP SCHEMA IF EXISTS ${name} CASCADE`) };
}

/** A Redis key prefix no other test uses. */
export function testKeyPrefix(): string {
  return `datapatch-test:${randomBytes(6).toString('hex')}:`;
}

/**
 * Deletes every Redis key under `prefix`, as a test's last step: rate-limit counters otherwise
 * stay for weeks. One EVAL over a bare socket, like `pingRedis`.
 */
export function dropKeyPrefix(prefix: string, url = TEST_REDIS_URL, timeoutMs = 5_000): Promise<void> {
  const script = "for _, key in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', key) end return 0";
  const args = ['EVAL', script, '0', `${prefix}*`];
  const command = `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`;
  const { hostname, port } = new URL(url);
  return new Promise((done, fail) => {
    const socket = new Socket();
    const end = (error?: Error) => {
      socket.destroy();
      if (error) fail(error);
      else done();
    };
    socket.setTimeout(timeoutMs, () => end(new Error(`Redis at ${url} did not answer`)));
    socket.once('error', end);
    socket.connect(Number(port || 6379), hostname, () => socket.write(command));
    socket.once('data', (data) => {
      const answer = data.toString();
      end(
        answer.startsWith(':') ? undefined : new Error(`Redis refused to drop ${prefix}*: ${answer.trim()}`),
      );
    });
  });
}
