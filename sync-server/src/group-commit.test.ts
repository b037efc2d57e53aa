import { afterEach, describe, expect, it, vi } from 'vitest';
import { GroupCommit } from './group-commit.ts';
import type { RoomUpdate, StoredRoom, UpdateStore } from './update-store.ts';

/** A store whose appends finish only when the test says so, recording each commit's batch. */
class ManualStore implements UpdateStore {
  readonly commits: string[][] = [];
  readonly #finish: (() => void)[] = [];
  #seq = 0;

  appendUpdates(batch: readonly RoomUpdate[]): Promise<number[]> {
    this.commits.push(batch.map(({ update }) => new TextDecoder().decode(update)));
    const seqs = batch.map(() => ++this.#seq);
    return new Promise((resolve) => this.#finish.push(() => resolve(seqs)));
  }
  /** Lets the oldest commit in flight finish (its fsync returned). */
  finishOne(): void {
    this.#finish.shift()?.();
  }
  get inFlight(): number {
    return this.#finish.length;
  }
  async loadRoom(): Promise<StoredRoom> {
    return { updates: [], lastSeq: 0 };
  }
  async compact(): Promise<number> {
    return ++this.#seq;
  }
  async listRooms(): Promise<string[]> {
    return [];
  }
  async close(): Promise<void> {}
}

const text = (s: string) => new TextEncoder().encode(s);
const turn = () => new Promise((resolve) => setImmediate(resolve));

function commitOn(store: UpdateStore, minIntervalMs = 0): GroupCommit {
  return new GroupCommit(
    store,
    (error) => {
      throw error;
    },
    minIntervalMs,
  );
}

afterEach(() => {
  vi.useRealTimers();
});

describe('group commit: nobody is sent what is not on disk', () => {
  it('an action waits for every update appended before it, and runs at once when nothing is pending', async () => {
    const store = new ManualStore();
    const commit = commitOn(store);
    const ran: string[] = [];
    commit.afterDurable(() => ran.push('idle'));
    expect(ran).toEqual(['idle']);

    commit.append('r', text('a'), () => ran.push('a durable'));
    commit.afterDurable(() => ran.push('after a'));
    await turn();
    expect(ran).toEqual(['idle']);
    store.finishOne();
    await turn();
    expect(ran).toEqual(['idle', 'a durable', 'after a']);
  });

  it('updates accepted while a commit runs share the next commit, and their actions wait for it', async () => {
    const store = new ManualStore();
    const commit = commitOn(store);
    const ran: string[] = [];
    commit.append('r', text('a'), () => undefined);
    await turn();
    expect(store.commits).toEqual([['a']]);
    commit.append('r', text('b'), () => undefined);
    commit.append('s', text('c'), () => undefined);
    commit.afterDurable(() => ran.push('after c'));
    await turn();
    expect(store.inFlight).toBe(1);

    store.finishOne();
    // One turn for the commit to return, one for the next to start.
    await turn();
    await turn();
    expect(ran).toEqual([]);
    expect(store.commits).toEqual([['a'], ['b', 'c']]);
    store.finishOne();
    await commit.drain();
    expect(ran).toEqual(['after c']);
  });

  it('under load, a commit starts at most once per interval; a quiet store commits at once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'setImmediate', 'performance'] });
    const store = new ManualStore();
    const commit = commitOn(store, 10);
    commit.append('r', text('a'), () => undefined);
    await vi.advanceTimersByTimeAsync(0);
    expect(store.commits).toEqual([['a']]);
    store.finishOne();
    await vi.advanceTimersByTimeAsync(1);

    // 1 ms after the first commit started: the next ones wait for the interval, together.
    commit.append('r', text('b'), () => undefined);
    await vi.advanceTimersByTimeAsync(4);
    commit.append('r', text('c'), () => undefined);
    await vi.advanceTimersByTimeAsync(4);
    expect(store.commits).toEqual([['a']]);
    await vi.advanceTimersByTimeAsync(1);
    expect(store.commits).toEqual([['a'], ['b', 'c']]);
    store.finishOne();

    // Long after: no wait.
    await vi.advanceTimersByTimeAsync(1000);
    commit.append('r', text('d'), () => undefined);
    await vi.advanceTimersByTimeAsync(0);
    expect(store.commits).toEqual([['a'], ['b', 'c'], ['d']]);
    store.finishOne();
    await commit.drain();
  });
});
