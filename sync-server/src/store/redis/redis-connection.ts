/**
 * The Redis connections of the processes' modules (update bus, re-authorisation): connected
 * lazily, reconnecting by themselves. Invariant: a publisher (`offlineQueue` false) fails at once
 * while Redis is away, since what it carries is also in the store or re-checked on return; a
 * subscriber queues its SUBSCRIBEs and resubscribes by itself after a reconnect.
 */
import { Redis } from 'ioredis';

export function redisConnection(url: string, offlineQueue: boolean): Redis {
  return new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: offlineQueue,
    maxRetriesPerRequest: offlineQueue ? null : 0,
    retryStrategy: (times) => Math.min(times * 100, 1_000),
  });
}
