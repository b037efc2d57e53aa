/**
 * Rate limits through rate-limiter-flexible, in memory (one process) or in a store made by
 * ../store/ (SQLite: survives a restart; Redis: shared by every process); no database driver
 * here. Keys are account emails or address hashes, never clear addresses. A store failure
 * throws; only "limit reached" is an expected answer.
 */
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/** What a shared store's `create` is given: rate-limiter-flexible's own options. */
export interface LimiterOptions {
  keyPrefix: string;
  points: number;
  duration: number;
  blockDuration: number;
}

export type LimiterStore =
  | { kind: 'memory' }
  | { kind: 'shared'; create(options: LimiterOptions): RateLimiterAbstract };

export interface Limit {
  /** How many actions are allowed… */
  points: number;
  /** …per this many seconds. */
  durationSeconds: number;
  /** Once over the limit, refuse for this long (default: until the window ends). */
  blockSeconds?: number;
}

export function createLimiter(store: LimiterStore, name: string, limit: Limit): RateLimiterAbstract {
  const options: LimiterOptions = {
    keyPrefix: name,
    points: limit.points,
    duration: limit.durationSeconds,
    blockDuration: limit.blockSeconds ?? 0,
  };
  return store.kind === 'memory' ? new RateLimiterMemory(options) : store.create(options);
}

export type LimitAnswer = { allowed: true } | { allowed: false; retryAfterMs: number };

/** Spends `points` for `key`; refuses without spending more once the limit is reached. */
export async function spend(limiter: RateLimiterAbstract, key: string, points = 1): Promise<LimitAnswer> {
  try {
    await limiter.consume(key, points);
    return { allowed: true };
  } catch (reason) {
    if (reason instanceof RateLimiterRes) return { allowed: false, retryAfterMs: reason.msBeforeNext };
    throw reason;
  }
}

/** Whether `key` may act now, without spending anything. */
export async function check(limiter: RateLimiterAbstract, key: string): Promise<LimitAnswer> {
  const state = await limiter.get(key);
  if (state && state.consumedPoints >= limiter.points) {
    return { allowed: false, retryAfterMs: state.msBeforeNext };
  }
  return { allowed: true };
}
