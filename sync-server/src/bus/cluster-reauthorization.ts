/**
 * Re-authorisation across processes, beside the relay and the update bus (a module of its own
 * on its own Redis channel, in the way of a Hocuspocus extension): when a role, a dataset's
 * settings, an account or a session changes on one process, every other process re-checks its
 * open sockets through its own authorizer, which reads the shared store. Invariants: an
 * announcement carries no permission, only which dataset to re-check (null: every room), so a
 * forged or replayed one can only cause a re-check; a process ignores its own; announcements
 * lost while Redis was away are covered by re-checking every room when it comes back.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { redactUrl } from '../store/postgres/postgres-database.ts';
import { redisConnection } from '../store/redis/redis-connection.ts';
import { BusError } from './redis-bus.ts';

export interface ClusterReauthorizationOptions {
  redisUrl: string;
  /** Same prefix as the update bus: the instance's channels. */
  keyPrefix?: string;
  /** Re-checks this process's sockets of one dataset (null: of every room). */
  reauthorize(datasetId: string | null): Promise<void>;
}

interface Announcement {
  sender: string;
  datasetId: string | null;
}

export class ClusterReauthorization {
  readonly id = randomUUID();
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  readonly #channel: string;
  readonly #reauthorize: (datasetId: string | null) => Promise<void>;
  #wasReady = true;

  private constructor(options: ClusterReauthorizationOptions, publisher: Redis, subscriber: Redis) {
    this.#publisher = publisher;
    this.#subscriber = subscriber;
    this.#channel = `${options.keyPrefix ?? 'datapatch:'}reauthorize`;
    this.#reauthorize = options.reauthorize;
  }

  static async connect(options: ClusterReauthorizationOptions): Promise<ClusterReauthorization> {
    const publisher = redisConnection(options.redisUrl, false);
    const subscriber = redisConnection(options.redisUrl, true);
    // The update bus already reports each Redis outage; these connections stay quiet about it.
    for (const redis of [publisher, subscriber]) redis.on('error', () => undefined);
    try {
      await Promise.all([publisher.connect(), subscriber.connect()]);
    } catch (error) {
      publisher.disconnect();
      subscriber.disconnect();
      throw new BusError(
        'redis-unreachable',
        `Redis at ${redactUrl(options.redisUrl)}: ${(error as Error).message}`,
      );
    }
    const cluster = new ClusterReauthorization(options, publisher, subscriber);
    await cluster.#listen();
    return cluster;
  }

  /**
   * Tells the other processes to re-check their sockets of `datasetId` (null: all). Resolves
   * once Redis took it; while Redis is away it resolves at once (the others re-check every room
   * when it comes back).
   */
  async announce(datasetId: string | null): Promise<void> {
    const announcement: Announcement = { sender: this.id, datasetId };
    await this.#publisher.publish(this.#channel, JSON.stringify(announcement)).catch(() => undefined);
  }

  async #listen(): Promise<void> {
    this.#subscriber.on('message', (channel: string, payload: string) => {
      if (channel !== this.#channel) return;
      const announcement = parse(payload);
      if (announcement && announcement.sender !== this.id) this.#run(announcement.datasetId);
    });
    this.#subscriber.on('close', () => {
      this.#wasReady = false;
    });
    this.#subscriber.on('ready', () => {
      if (this.#wasReady) return;
      this.#wasReady = true;
      this.#run(null);
    });
    await this.#subscriber.subscribe(this.#channel);
  }

  #run(datasetId: string | null): void {
    this.#reauthorize(datasetId).catch((error: unknown) =>
      console.error('datapatch: re-authorisation asked by another process failed', error),
    );
  }

  async close(): Promise<void> {
    this.#publisher.disconnect();
    this.#subscriber.disconnect();
  }
}

function parse(payload: string): Announcement | null {
  try {
    const value = JSON.parse(payload) as Partial<Announcement>;
    if (typeof value.sender !== 'string') return null;
    if (value.datasetId !== null && typeof value.datasetId !== 'string') return null;
    return { sender: value.sender, datasetId: value.datasetId };
  } catch {
    return null;
  }
}
