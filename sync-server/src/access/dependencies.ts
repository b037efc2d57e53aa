/**
 * What every access module is given instead of reaching for globals: the access store, a clock
 * and a source of randomness. Tests pass a fixed clock and a seeded source; production passes
 * `systemDependencies(store)`. No module here reads `Date.now()` or `process.env` itself, and no
 * database handle reaches it: storage is the store's.
 */
import { randomBytes } from 'node:crypto';
import type { AccessStore } from '../store/access-store.ts';

/** Milliseconds since the Unix epoch. */
export type Clock = () => number;
/** Cryptographically strong bytes; only tests pass anything else. */
export type RandomSource = (size: number) => Buffer;

export interface AccessDependencies {
  /** Accounts, sessions, hubs, roles, invites, settings: the only storage ../access touches. */
  store: AccessStore;
  clock: Clock;
  random: RandomSource;
}

export function systemDependencies(store: AccessStore): AccessDependencies {
  return { store, clock: Date.now, random: (size) => randomBytes(size) };
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
