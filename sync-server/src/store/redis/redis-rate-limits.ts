/**
 * Rate limits shared by every server process: rate-limiter-flexible's RateLimiterRedis on one
 * ioredis connection, keys under the instance's prefix. Invariants: a limit counts the actions of
 * all processes together while Redis answers; while it does not, each limiter falls back at once
 * (no offline queue, `rejectIfRedisNotReady`) to an in-memory insurance limiter of the same
 * limit, per process, so intake and sign-in keep working and stay limited.
 */
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { LimiterStore } from '../../access/rate-limits.ts';
import { redactUrl } from '../postgres/postgres-database.ts';
import { redisConnection } from './redis-connection.ts';

export interface RedisLimiters {
  store: LimiterStore;
  close(): Promise<void>;
}

export class RedisLimitersError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** Connects to Redis; an unreachable or wrong URL is a `RedisLimitersError` naming it. */
export async function openRedisLimiters(redisUrl: string, keyPrefix: string): Promise<RedisLimiters> {
  if (!/^rediss?:\/\//.test(redisUrl))
    throw new RedisLimitersError('redis-url-invalid', `not a redis:// URL: ${redactUrl(redisUrl)}`);
  // No offline queue: while Redis is away a call fails at once and the insurance limiter answers.
  const client = redisConnection(redisUrl, false);
  let lastError = '';
  client.on('error', (error: Error) => {
    if (error.message !== lastError) console.error(`datapatch: Redis (rate limits): ${error.message}`);
    lastError = error.message;
  });
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw new RedisLimitersError(
      'redis-unreachable',
      `Redis at ${redactUrl(redisUrl)}: ${lastError || (error as Error).message}`,
    );
  }
  return {
    store: {
      kind: 'shared',
      create(options) {
        return new RateLimiterRedis({
          ...options,
          keyPrefix: `${keyPrefix}${options.keyPrefix}`,
          storeClient: client,
          rejectIfRedisNotReady: true,
          insuranceLimiter: new RateLimiterMemory(options),
        });
      },
    },
    async close() {
      await client.quit().catch(() => client.disconnect());
    },
  };
}
