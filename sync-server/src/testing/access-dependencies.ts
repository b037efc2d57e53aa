/**
 * Dependencies for tests: an in-memory database whose access store has every access table, a
 * clock the test moves by hand, and a seeded random source (replay with DATAPATCH_SEED). Another
 * store (PostgreSQL) can be passed in instead, and `accessBackends` gives both, PostgreSQL in a
 * fresh schema per call (dropped by `dispose`). Not used in production.
 */
import { createHash } from 'node:crypto';
import { afterEach } from 'vitest';
import type { AccessDependencies } from '../access/dependencies.ts';
import type { LimiterStore } from '../access/rate-limits.ts';
import type { AccessStore } from '../store/access-store.ts';
import { PostgresAccessStore } from '../store/postgres/postgres-access-store.ts';
import { openPostgres } from '../store/postgres/postgres-database.ts';
import { openSqliteAccessStore } from '../store/sqlite/sqlite-access-store.ts';
import { openMemoryDatabase, type SqliteDatabase } from '../store/sqlite/sqlite-database.ts';
import { sqliteLimiterKeys, sqliteLimiterStore } from '../store/sqlite/sqlite-rate-limits.ts';
import { createTestSchema, requireServices } from './services.ts';

export interface TestDependencies extends AccessDependencies {
  /** The in-memory SQLite file behind the default store, for tests that look at its rows. */
  db: SqliteDatabase;
  /** Moves the clock forward. */
  advance(ms: number): void;
  seed: number;
}

export function seededRandom(seed: number): (size: number) => Buffer {
  let counter = 0;
  return (size) => {
    const chunks: Buffer[] = [];
    let length = 0;
    while (length < size) {
      const chunk = createHash('sha256').update(`${seed}:${counter++}`).digest();
      chunks.push(chunk);
      length += chunk.length;
    }
    return Buffer.concat(chunks).subarray(0, size);
  };
}

export function testDependencies(
  options: { seed?: number; start?: number; store?: AccessStore } = {},
): TestDependencies {
  const seed = options.seed ?? Number(process.env.DATAPATCH_SEED ?? 1);
  const db = openMemoryDatabase();
  const store = options.store ?? openSqliteAccessStore(db);
  let now = options.start ?? Date.UTC(2026, 0, 15, 9, 0, 0);
  return {
    store,
    db,
    clock: () => now,
    random: seededRandom(seed),
    advance(ms) {
      now += ms;
    },
    seed,
  };
}

/** A member account without spending scrypt time (its password never verifies). */
export async function insertTestUser(deps: AccessDependencies, name: string): Promise<string> {
  const id = `user-${name}`;
  await deps.store.createUser({
    id,
    email: `${name}@example.org`,
    displayName: name,
    passwordHash: 'none',
    instanceRole: 'member',
    createdAt: deps.clock(),
  });
  return id;
}

export interface AccessBackend {
  name: 'SQLite' | 'PostgreSQL';
  /** False only outside CI when PostgreSQL does not answer (requireServices printed why). */
  available: boolean;
  /** Fresh, empty dependencies on this backend; `dispose` closes them (and drops the schema). */
  dependencies(
    options?: Omit<Parameters<typeof testDependencies>[0], 'store'>,
  ): Promise<TestDependencies & { dispose(): Promise<void> }>;
}

/** The access store's backends for a test file that exercises storage through the rules. */
export async function accessBackends(what: string): Promise<AccessBackend[]> {
  const postgres = await requireServices(`${what} on PostgreSQL`, ['postgres']);
  return [
    {
      name: 'SQLite',
      available: true,
      dependencies: async (options = {}) => ({
        ...testDependencies(options),
        dispose: async () => undefined,
      }),
    },
    {
      name: 'PostgreSQL',
      available: postgres.available,
      async dependencies(options = {}) {
        const schema = await createTestSchema();
        const db = await openPostgres(schema.url, { maxConnections: 4 });
        return {
          ...testDependencies({ ...options, store: new PostgresAccessStore(db) }),
          async dispose() {
            await db.close();
            await schema.drop();
          },
        };
      },
    },
  ];
}

/**
 * Sign-in limits in one in-memory SQLite file: each `store()` is a fresh set of limiters on the
 * same table (as after a restart); `keys()` lists what the table holds.
 */
export function sqliteLimits(): { store(): LimiterStore; keys(): string[] } {
  const db = openMemoryDatabase();
  return { store: () => sqliteLimiterStore(db), keys: () => sqliteLimiterKeys(db) };
}

/**
 * `fresh()` on `backend`: new dependencies each call, disposed after the test. Call it at a test
 * file's top level (it registers the `afterEach`).
 */
export function freshDependenciesOn(backend: AccessBackend): () => Promise<TestDependencies> {
  const disposals: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const dispose of disposals.splice(0)) await dispose();
  });
  return async () => {
    const deps = await backend.dependencies();
    disposals.push(deps.dispose);
    return deps;
  };
}
