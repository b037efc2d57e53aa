import { afterEach, describe, expect, it } from 'vitest';
import { check, createLimiter, spend } from '../../access/rate-limits.ts';
import { startPrivateRedis } from '../../testing/cluster.ts';
import { requireServices, TEST_REDIS_URL, testKeyPrefix } from '../../testing/services.ts';
import { openRedisLimiters, type RedisLimiters } from './redis-rate-limits.ts';

const redis = await requireServices('rate limits on Redis', ['redis']);

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function opened(url: string, prefix: string): Promise<RedisLimiters> {
  const limiters = await openRedisLimiters(url, prefix);
  cleanups.push(() => limiters.close());
  return limiters;
}

// Without Redis these are skipped; requireServices printed why (and fails under CI=true).
describe.skipIf(!redis.available)('rate limits on Redis', () => {
  it('two processes (two connections) count one limit together', async () => {
    const prefix = testKeyPrefix();
    const limit = { points: 3, durationSeconds: 60 };
    const [a, b] = [await opened(TEST_REDIS_URL, prefix), await opened(TEST_REDIS_URL, prefix)];
    const [inA, inB] = [
      createLimiter(a.store, 'proposal-address', limit),
      createLimiter(b.store, 'proposal-address', limit),
    ];
    cleanups.push(async () => {
      await inA.delete('address');
    });
    expect(await spend(inA, 'address')).toEqual({ allowed: true });
    expect(await spend(inB, 'address')).toEqual({ allowed: true });
    expect(await spend(inA, 'address')).toEqual({ allowed: true });
    expect(await spend(inB, 'address')).toMatchObject({ allowed: false });
    expect(await check(inA, 'address')).toMatchObject({ allowed: false });
    // Another key, and the same name under another instance's prefix, are counted apart.
    expect(await spend(inB, 'other-address')).toEqual({ allowed: true });
    await inB.delete('other-address');
    const elsewhere = createLimiter(
      (await opened(TEST_REDIS_URL, testKeyPrefix())).store,
      'proposal-address',
      limit,
    );
    expect(await spend(elsewhere, 'address')).toEqual({ allowed: true });
    await elsewhere.delete('address');
  });

  it('with Redis gone, each process still limits on its own, and answers at once', async () => {
    const server = await startPrivateRedis();
    cleanups.push(() => server.stop());
    const limiters = await opened(server.url, testKeyPrefix());
    const limiter = createLimiter(limiters.store, 'login-address', { points: 2, durationSeconds: 60 });
    expect(await spend(limiter, 'address')).toEqual({ allowed: true });
    await server.kill();
    expect(await spend(limiter, 'address')).toEqual({ allowed: true });
    expect(await spend(limiter, 'address')).toEqual({ allowed: true });
    expect(await spend(limiter, 'address')).toMatchObject({ allowed: false });
  });
});
