/**
 * Dependencies for tests: an in-memory database with every access table, a clock the test
 * moves by hand, and a seeded random source (replay with DATAPATCH_SEED). Not used in production.
 */
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import type { AccessDependencies } from '../access/dependencies.ts';
import { migrateAccess } from '../access/migrate.ts';

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

export function testDependencies(options: { seed?: number; start?: number } = {}): TestDependencies {
  const seed = options.seed ?? Number(process.env.DATAPATCH_SEED ?? 1);
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrateAccess(db);
  let now = options.start ?? Date.UTC(2026, 0, 15, 9, 0, 0);
  return {
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
export function insertTestUser(deps: AccessDependencies, name: string): string {
  const id = `user-${name}`;
  deps.db
    .prepare(
      `INSERT INTO users (id, email, display_name, password_hash, instance_role, created_at, password_changed_at)
       VALUES (?, ?, ?, 'none', 'member', ?, ?)`,
    )
    .run(id, `${name}@example.org`, name, deps.clock(), deps.clock());
  return id;
}
