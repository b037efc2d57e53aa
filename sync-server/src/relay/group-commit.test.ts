import { describe, expect, it } from 'vitest';
import type { RoomUpdate, SequencedUpdate, StoredRoom, UpdateStore } from '../store/update-store.ts';
import { GroupCommit } from './group-commit.ts';

/** A store whose appends finish only when the test says so, recording each commit's batch. */
class ManualStore implements UpdateStore {
  readonly sequence = 'global' as const;
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
  async loadSince(): Promise<SequencedUpdate[]> {
    return [];
  }
  async lastSeqs(): Promise<Map<string, number>> {
    return new Map();
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

function commitOn(store: UpdateStore): GroupCommit {
  return new GroupCommit(store, (error) => {
    throw error;
  });
}

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

  it('the updates of one turn share one commit, started at the end of that turn with no timer', async () => {
    const store = new ManualStore();
    const commit = commitOn(store);
    commit.append('r', text('a'), () => undefined);
    commit.append('s', text('b'), () => undefined);
    expect(store.commits).toEqual([]);
    await turn();
    expect(store.commits).toEqual([['a', 'b']]);
    store.finishOne();
    await commit.drain();
    expect(store.commits).toEqual([['a', 'b']]);
  });
});
