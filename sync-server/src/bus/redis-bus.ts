/**
 * Keeps the rooms of several server processes in step through Redis, beside the relay (its
 * `RelayHooks`), in the way of Hocuspocus's Redis extension. After its COMMIT a process
 * publishes a room's updates with their seqs on the room's channel; the others apply them in
 * seq order, and read the store (`loadSince`) when a seq is missing, after Redis comes back, and
 * every `catchUpIntervalMs` when the store is ahead (a publish lost to a crash between COMMIT
 * and PUBLISH still arrives). Invariants: Redis never holds the only copy of anything (it only
 * carries what is committed); a room's `compactionLimit` is the seq up to which this process's
 * document holds every update, so its compaction never drops another process's update.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RelayHooks, SyncRelay } from '../relay/relay.ts';
import { redactUrl } from '../store/postgres/postgres-database.ts';
import { redisConnection } from '../store/redis/redis-connection.ts';
import type { UpdateStore } from '../store/update-store.ts';
import { type BusMessage, decodeBusMessage, encodeBusMessage } from './bus-messages.ts';
import { RoomSequence } from './room-sequence.ts';

export interface RedisBusOptions {
  redisUrl: string;
  /** Prefix of every channel, so several instances (or tests) can share one Redis. */
  keyPrefix?: string;
  /** The shared log; its seqs must be per room (PostgreSQL). */
  store: UpdateStore;
  /** How often the store is asked whether a room is ahead of this process. */
  catchUpIntervalMs?: number;
  /** How long a missing seq may stay missing (in flight on Redis) before the store is read. */
  gapWaitMs?: number;
  /** A room's batch larger than this is announced by its seq range only. */
  inlineBytes?: number;
}

interface OpenRoom {
  sequence: RoomSequence;
  /** This process's committed updates, published at the end of the turn. */
  outbox: { seq: number; update: Uint8Array }[];
  catchingUp: Promise<void> | null;
  catchUpAgain: boolean;
  gapTimer: NodeJS.Timeout | null;
  /** The store's last seq seen by the previous periodic check, if this room was behind it. */
  behindAt: number;
}

export class BusError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

export class RedisBus implements RelayHooks {
  readonly id = randomUUID();
  readonly #options: Required<Omit<RedisBusOptions, 'store'>> & { store: UpdateStore };
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  readonly #rooms = new Map<string, OpenRoom>();
  #relay: SyncRelay | null = null;
  #publishScheduled = false;
  #timer: NodeJS.Timeout | null = null;
  #wasReady = false;
  #closed = false;

  private constructor(options: RedisBusOptions, publisher: Redis, subscriber: Redis) {
    this.#options = {
      keyPrefix: 'datapatch:',
      catchUpIntervalMs: 1_000,
      gapWaitMs: 100,
      inlineBytes: 64 * 1024,
      ...options,
    };
    this.#publisher = publisher;
    this.#subscriber = subscriber;
  }

  /** Connects both Redis connections; an unreachable or wrong URL is a `BusError`. */
  static async connect(options: RedisBusOptions): Promise<RedisBus> {
    if (options.store.sequence !== 'per-room')
      throw new BusError('bus-needs-per-room-seqs', 'several processes need a store with per-room seqs');
    if (!/^rediss?:\/\//.test(options.redisUrl))
      throw new BusError('redis-url-invalid', `not a redis:// URL: ${redactUrl(options.redisUrl)}`);
    // A publish while Redis is away fails at once (the store catch-up covers it).
    const publisher = redisConnection(options.redisUrl, false);
    const subscriber = redisConnection(options.redisUrl, true);
    // ioredis reconnects by itself; its errors are logged once per outage, not thrown.
    let lastError = '';
    for (const redis of [publisher, subscriber])
      redis.on('error', (error: Error) => {
        if (error.message !== lastError) console.error(`datapatch: Redis: ${error.message}`);
        lastError = error.message;
      });
    try {
      await Promise.all([publisher.connect(), subscriber.connect()]);
      lastError = '';
    } catch (error) {
      publisher.disconnect();
      subscriber.disconnect();
      throw new BusError(
        'redis-unreachable',
        `Redis at ${redactUrl(options.redisUrl)}: ${lastError || (error as Error).message}`,
      );
    }
    const bus = new RedisBus(options, publisher, subscriber);
    bus.#listen();
    return bus;
  }

  /** The relay this bus feeds; pass `bus` as the relay's `hooks` too. */
  attach(relay: SyncRelay): void {
    this.#relay = relay;
    this.#timer = setInterval(() => void this.#checkStore(), this.#options.catchUpIntervalMs);
    this.#timer.unref();
  }

  #channel(room: string): string {
    return `${this.#options.keyPrefix}room:${room}`;
  }

  #listen(): void {
    const prefix = `${this.#options.keyPrefix}room:`;
    this.#subscriber.on('messageBuffer', (channel: Buffer, payload: Buffer) => {
      const name = channel.toString();
      if (!name.startsWith(prefix)) return;
      const message = decodeBusMessage(
        new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength),
      );
      if (message && message.sender !== this.id) this.#receive(name.slice(prefix.length), message);
    });
    this.#wasReady = true;
    this.#subscriber.on('close', () => {
      this.#wasReady = false;
    });
    // Back after an outage: whatever was published meanwhile is lost, the store has it.
    this.#subscriber.on('ready', () => {
      if (this.#wasReady) return;
      this.#wasReady = true;
      for (const room of this.#rooms.keys()) this.#catchUp(room);
    });
  }

  roomOpened(room: string, lastSeq: number): void {
    const open = this.#rooms.get(room);
    if (open) {
      open.sequence.reset(lastSeq);
    } else {
      this.#rooms.set(room, {
        sequence: new RoomSequence(lastSeq),
        outbox: [],
        catchingUp: null,
        catchUpAgain: false,
        gapTimer: null,
        behindAt: 0,
      });
      // Whatever was committed between the load and the subscription is read back after it.
      this.#subscriber.subscribe(this.#channel(room)).then(
        () => this.#catchUp(room),
        () => undefined,
      );
    }
  }

  roomClosed(room: string): void {
    const open = this.#rooms.get(room);
    if (!open) return;
    if (open.gapTimer) clearTimeout(open.gapTimer);
    this.#rooms.delete(room);
    this.#flushOutbox(room, open);
    this.#subscriber.unsubscribe(this.#channel(room)).catch(() => undefined);
  }

  updateDurable(room: string, seq: number, update: Uint8Array): void {
    const open = this.#rooms.get(room);
    if (!open) return;
    open.outbox.push({ seq, update });
    open.sequence.offer(seq, null);
    this.#advance(room, open);
    if (!this.#publishScheduled) {
      this.#publishScheduled = true;
      // After every callback of this commit: one message per room and commit.
      queueMicrotask(() => {
        this.#publishScheduled = false;
        for (const [name, entry] of this.#rooms) this.#flushOutbox(name, entry);
      });
    }
  }

  awarenessChanged(room: string, update: Uint8Array): void {
    this.#publish(room, { kind: 'awareness', sender: this.id, update });
  }

  compactionLimit(room: string): number {
    return this.#rooms.get(room)?.sequence.applied ?? 0;
  }

  #flushOutbox(room: string, open: OpenRoom): void {
    if (open.outbox.length === 0) return;
    const outbox = open.outbox;
    open.outbox = [];
    // Runs of consecutive seqs (two commits of one turn may have another process's seqs between).
    let start = 0;
    for (let i = 1; i <= outbox.length; i++) {
      if (i < outbox.length && outbox[i]!.seq === outbox[i - 1]!.seq + 1) continue;
      const run = outbox.slice(start, i);
      start = i;
      const bytes = run.reduce((sum, item) => sum + item.update.byteLength, 0);
      const firstSeq = run[0]!.seq;
      this.#publish(
        room,
        bytes > this.#options.inlineBytes
          ? { kind: 'range', sender: this.id, firstSeq, lastSeq: run.at(-1)!.seq }
          : { kind: 'updates', sender: this.id, firstSeq, updates: run.map((item) => item.update) },
      );
    }
  }

  #publish(room: string, message: BusMessage): void {
    if (this.#closed) return;
    // Fails at once while Redis is away: the other processes read the store instead.
    this.#publisher
      .publish(this.#channel(room), Buffer.from(encodeBusMessage(message)))
      .catch(() => undefined);
  }

  #receive(room: string, message: BusMessage): void {
    if (message.kind === 'awareness') {
      this.#relay?.applyRemoteAwareness(room, message.update);
      return;
    }
    const open = this.#rooms.get(room);
    if (!open) return;
    if (message.kind === 'range') {
      if (message.lastSeq > open.sequence.applied) this.#catchUp(room);
      return;
    }
    message.updates.forEach((update, i) => {
      open.sequence.offer(message.firstSeq + i, update);
    });
    this.#advance(room, open);
  }

  /** Applies what is next in order; a gap left waiting is read from the store if it lasts. */
  #advance(room: string, open: OpenRoom): void {
    const relay = this.#relay;
    if (!relay) return;
    open.sequence.take((update) => relay.applyRemoteUpdate(room, update, 'as-sent'));
    if (open.sequence.hasGap && !open.gapTimer) {
      open.gapTimer = setTimeout(() => {
        open.gapTimer = null;
        if (open.sequence.hasGap) this.#catchUp(room);
      }, this.#options.gapWaitMs);
    }
  }

  /** Reads the room's rows above what this process holds and applies them; one read at a time. */
  #catchUp(room: string): void {
    const open = this.#rooms.get(room);
    if (!open || this.#closed) return;
    if (open.catchingUp) {
      open.catchUpAgain = true;
      return;
    }
    open.catchingUp = (async () => {
      try {
        const from = open.sequence.applied;
        const rows = await this.#options.store.loadSince(room, from);
        if (this.#rooms.get(room) !== open || !this.#relay) return;
        let upTo = from;
        for (const row of rows) {
          if (row.seq <= open.sequence.applied) {
            upTo = row.seq;
            continue;
          }
          // Only what the room really took counts; a refusal leaves the rest for the next read.
          if (!this.#relay.applyRemoteUpdate(room, row.update, 'new-content')) break;
          upTo = row.seq;
        }
        open.sequence.caughtUpTo(upTo);
        this.#advance(room, open);
      } catch (error) {
        console.error(`datapatch: could not catch up room ${room} from the store`, (error as Error).message);
      } finally {
        open.catchingUp = null;
        if (open.catchUpAgain) {
          open.catchUpAgain = false;
          this.#catchUp(room);
        }
      }
    })();
  }

  /**
   * Asks the store for every open room's last seq; a room still behind the value seen last
   * time is caught up (behind once is normal: its updates may be on their way through Redis).
   */
  async #checkStore(): Promise<void> {
    if (this.#closed || this.#rooms.size === 0) return;
    let last: Map<string, number>;
    try {
      last = await this.#options.store.lastSeqs([...this.#rooms.keys()]);
    } catch {
      return;
    }
    for (const [room, seq] of last) {
      const open = this.#rooms.get(room);
      if (!open) continue;
      if (open.behindAt > 0 && open.sequence.applied < open.behindAt) this.#catchUp(room);
      open.behindAt = seq > open.sequence.applied ? seq : 0;
    }
  }

  /** Waits for catch-ups in flight, then closes both connections. */
  async close(): Promise<void> {
    if (this.#closed) return;
    for (const [room, open] of this.#rooms) this.#flushOutbox(room, open);
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    for (const open of this.#rooms.values()) {
      if (open.gapTimer) clearTimeout(open.gapTimer);
      await open.catchingUp;
    }
    await this.#publisher.quit().catch(() => this.#publisher.disconnect());
    this.#subscriber.disconnect();
  }
}
