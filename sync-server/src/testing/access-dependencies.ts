/**
 * Dependencies for tests: an in-memory database whose access store has every access table, a
 * clock the test moves by hand, and a seeded random source (replay with DATAPATCH_SEED). Another
 * store (PostgreSQL) can be passed in instead. Not used in production.
 */
import { createHash } from 'node:crypto';
import type { AccessDependencies } from '../access/dependencies.ts';
import type { AccessStore } from '../store/access-store.ts';
import { openSqliteAccessStore } from '../store/sqlite/sqlite-access-store.ts';
import { openMemoryDatabase } from '../store/sqlite/sqlite-database.ts';

export interface TestDependencies extends AccessDependencies {
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
