/**
 * What every access module is given instead of reaching for globals: the access store, a clock
 * and a source of randomness. Tests pass a fixed clock and a seeded source; production passes
 * `systemDependencies(store, db)`. No module here reads `Date.now()` or `process.env` itself.
 */
import { randomBytes } from 'node:crypto';
import type { AccessStore } from '../store/access-store.ts';
import type { SqliteDatabase } from '../store/sqlite/sqlite-database.ts';

/** Milliseconds since the Unix epoch. */
export type Clock = () => number;
/** Cryptographically strong bytes; only tests pass anything else. */
export type RandomSource = (size: number) => Buffer;

export interface AccessDependencies {
  /** Accounts, sessions, hubs, roles, invites, settings: the only storage ../access touches. */
  store: AccessStore;
  /**
   * The data folder's SQLite file, for the proposals' own tables until they have a store of
   * their own; nothing in ../access reads it.
   */
  db: SqliteDatabase;
  clock: Clock;
  random: RandomSource;
}

export function systemDependencies(store: AccessStore, db: SqliteDatabase): AccessDependencies {
  return { store, db, clock: Date.now, random: (size) => randomBytes(size) };
}

/** An opaque identifier: 16 random bytes, URL-safe, so it fits room names and paths. */
export function newId(random: RandomSource): string {
  return random(16).toString('base64url');
}

/** An unexpected failure (a broken invariant, not a user mistake), with a stable code. */
export class AccessFault extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'AccessFault';
    this.code = code;
  }
}
