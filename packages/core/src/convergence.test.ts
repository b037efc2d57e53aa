/**
 * Seeded random convergence: N peers edit rows and cells, propose, accept, reject and undo,
 * while the network delivers updates in random order, twice sometimes, across partitions and
 * offline periods; peer 0 (the server) folds in. Then the network heals and every peer must hold
 * the same documents, and no recorded change may be lost.
 * Replay: DATAPATCH_SEED=<seed> npx vitest run packages/core/src/convergence.test.ts
 * Long run: DATAPATCH_EXTENSIVE=1 (pnpm test:extensive).
 */
import * as prng from 'lib0/prng';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { appendRows, createDataset } from './dataset.ts';
import { addRow, deleteRow, readCell, restoreRow, setCell } from './edits.ts';
import { foldIn } from './fold-in.ts';
import { setIdSource } from './ids.ts';
import { cellsMap, changelogArray, chunksArray, decisionsMap, deletedMap, proposalsMap } from './layout.ts';
import { acceptProposal, rejectProposal, undoDecision } from './moderation.ts';
import { addProposal, amendProposal, listProposals, withdrawProposal } from './proposals.ts';
import { RowIndex, readRows } from './row-index.ts';
import { placesSchema } from './test-fixtures.ts';
import type { CellValue, ChangelogEntry } from './types.ts';

const EXTENSIVE = process.env.DATAPATCH_EXTENSIVE === '1';
const PEERS = EXTENSIVE ? 7 : 5;
const STEPS = EXTENSIVE ? 1500 : 300;
const RUNS = EXTENSIVE ? 20 : 3;
const FIELDS = placesSchema.fields.map((f) => f.name);
const VALUES: CellValue[] = ['a', 'b', 'c', 'Lille', 1, 2.5, true, false, null, ''];

type Kind = 'validated' | 'pending';
type Message = { from: number; kind: Kind; update: Uint8Array };
type StateVector = Map<number, number>;
/** A changelog entry with what its writer had seen when it wrote it (for causality). */
type Write = { entry: ChangelogEntry; client: number; clock: number; seen: StateVector };

type Peer = {
  validated: Y.Doc;
  pending: Y.Doc;
  index: RowIndex;
  inbox: Message[];
  online: boolean;
  group: number;
};

function stateVector(doc: Y.Doc): StateVector {
  return Y.decodeStateVector(Y.encodeStateVector(doc));
}

class Network {
  readonly peers: Peer[] = [];
  readonly writes: Write[] = [];
  readonly counts = { delivered: 0, duplicated: 0, folded: 0, accepted: 0, conflicts: 0, undone: 0 };
  readonly gen: prng.PRNG;
  constructor(
    readonly seed: number,
    count: number,
  ) {
    this.gen = prng.create(seed);
    setIdSource(() => prng.uint32(this.gen, 0, 0xffffffff));
    for (let i = 0; i < count; i++) {
      const validated = new Y.Doc();
      const pending = new Y.Doc();
      // Deterministic client ids make a replay resolve concurrent writes the same way.
      validated.clientID = i + 1;
      pending.clientID = 1000 + i;
      const peer: Peer = { validated, pending, index: undefined as never, inbox: [], online: true, group: 0 };
      for (const kind of ['validated', 'pending'] as const) {
        peer[kind].on('update', (update: Uint8Array, origin: unknown) => {
          if (origin === 'network') return;
          for (let j = 0; j < count; j++) if (j !== i) this.peers[j]!.inbox.push({ from: i, kind, update });
        });
      }
      this.peers.push(peer);
    }
  }

  canDeliver(to: number, message: Message): boolean {
    const a = this.peers[to]!;
    const b = this.peers[message.from]!;
    return a.online && b.online && a.group === b.group;
  }

  /** Delivers one random deliverable message to `to`; sometimes keeps it to deliver it again. */
  deliverOne(to: number, allowDuplicates = true): boolean {
    const peer = this.peers[to]!;
    const ready = peer.inbox.flatMap((m, at) => (this.canDeliver(to, m) ? [at] : []));
    if (ready.length === 0) return false;
    const at = prng.oneOf(this.gen, ready);
    const message = peer.inbox[at]!;
    if (!allowDuplicates || prng.int32(this.gen, 0, 9) > 0) peer.inbox.splice(at, 1);
    else this.counts.duplicated++;
    Y.applyUpdate(peer[message.kind], message.update, 'network');
    this.counts.delivered++;
    return true;
  }

  /** Runs a local action at `p`, recording the changelog entries it wrote with what `p` had seen. */
  act(p: number, action: (peer: Peer) => void): void {
    const peer = this.peers[p]!;
    const seen = stateVector(peer.validated);
    const log = changelogArray(peer.validated);
    const before = log.length;
    action(peer);
    const client = peer.validated.clientID;
    for (const entry of log.slice(before)) {
      this.writes.push({ entry, client, clock: seen.get(client) ?? 0, seen });
    }
  }

  heal(): void {
    for (const peer of this.peers) {
      peer.online = true;
      peer.group = 0;
    }
    let moved = true;
    while (moved) {
      moved = false;
      for (let p = 0; p < this.peers.length; p++) while (this.deliverOne(p, false)) moved = true;
    }
  }
}

function snapshot(peer: Peer) {
  return {
    chunks: chunksArray(peer.validated).toArray(),
    cells: cellsMap(peer.validated).toJSON(),
    deleted: deletedMap(peer.validated).toJSON(),
    changelog: changelogArray(peer.validated).toArray(),
    proposals: proposalsMap(peer.pending).toJSON(),
    decisions: decisionsMap(peer.pending).toJSON(),
    rows: [...peer.index.rows()],
  };
}

/** w2 had seen w1 when it was written. */
function follows(w2: Write, w1: Write): boolean {
  return (w2.seen.get(w1.client) ?? 0) > w1.clock;
}

/** The writes no other write had seen: the ones a correct merge may end on. */
function latest(writes: Write[]): Write[] {
  return writes.filter((w) => !writes.some((other) => other !== w && follows(other, w)));
}

function randomRow(net: Network, peer: Peer): string | undefined {
  const ids = [...peer.index.ids(), ...peer.index.deletedIds()];
  if (ids.length === 0) return undefined;
  // Half the time one of a few hot rows, so edits, proposals and decisions collide.
  return prng.oneOf(net.gen, prng.bool(net.gen) ? ids.slice(0, 3) : ids);
}

function randomValues(net: Network): Record<string, CellValue> {
  const values: Record<string, CellValue> = {};
  for (const field of FIELDS) if (prng.bool(net.gen)) values[field] = prng.oneOf(net.gen, VALUES);
  return values;
}

function step(net: Network): void {
  const gen = net.gen;
  const p = prng.int32(gen, 0, net.peers.length - 1);
  const peer = net.peers[p]!;
  const moderator = { id: `peer-${p}` };
  const roll = prng.int32(gen, 0, 99);
  if (roll < 28) {
    for (let i = prng.int32(gen, 1, 4); i > 0; i--) net.deliverOne(p);
  } else if (roll < 44) {
    const row = randomRow(net, peer);
    if (row)
      net.act(p, () =>
        setCell(peer.validated, row, prng.oneOf(gen, FIELDS), prng.oneOf(gen, VALUES), moderator),
      );
  } else if (roll < 47) {
    net.act(p, () => addRow(peer.validated, randomValues(net), moderator));
  } else if (roll < 48) {
    net.act(p, () => appendRows(peer.validated, [randomValues(net), randomValues(net)], moderator));
  } else if (roll < 52) {
    const row = randomRow(net, peer);
    if (row) {
      net.act(p, () =>
        prng.bool(gen)
          ? deleteRow(peer.validated, row, moderator)
          : restoreRow(peer.validated, row, moderator),
      );
    }
  } else if (roll < 62) {
    const row = randomRow(net, peer);
    const kind = prng.oneOf(gen, ['change', 'change', 'create', 'delete'] as const);
    const proposed = kind === 'delete' ? {} : randomValues(net);
    const base: Record<string, CellValue> = {};
    const seen = kind === 'delete' ? FIELDS : Object.keys(proposed);
    if (kind !== 'create' && row) for (const f of seen) base[f] = readCell(peer.validated, row, f) ?? null;
    addProposal(peer.pending, {
      datasetId: 'lieux',
      kind,
      ...(row && kind !== 'create' ? { rowId: row } : {}),
      base,
      proposed,
    });
  } else if (roll < 82) {
    const proposals = listProposals(peer.pending);
    if (proposals.length === 0) return;
    const target = prng.oneOf(gen, proposals);
    const what = prng.int32(gen, 0, 9);
    net.act(p, () => {
      if (what < 5) {
        const fields = Object.keys(target.proposed).filter(() => prng.bool(gen));
        const result = acceptProposal(peer.validated, peer.pending, target.id, {
          moderator,
          ...(prng.bool(gen) ? { fields } : {}),
          force: prng.int32(gen, 0, 3) === 0,
        });
        if (result.ok) net.counts.accepted++;
        else if (result.code === 'conflict') net.counts.conflicts++;
        if (process.env.DBG)
          console.log('accept', result.ok ? 'ok' : result.code, target.kind, JSON.stringify(target.base));
      } else if (what < 7) rejectProposal(peer.pending, target.id, { moderator, reason: 'non' });
      else if (what < 9) {
        if (undoDecision(peer.validated, peer.pending, target.id, moderator, { force: prng.bool(gen) }).ok) {
          net.counts.undone++;
        }
      } else if (prng.bool(gen)) withdrawProposal(peer.pending, target.id);
      else amendProposal(peer.pending, target.id, { proposed: randomValues(net) });
    });
  } else if (roll < 86) {
    if (p === 0) net.act(0, () => (net.counts.folded += foldIn(peer.validated).absorbedCells));
  } else if (roll < 95) {
    peer.online = !peer.online;
  } else {
    // A partition: a random half of the peers stops hearing the other half, or the split heals.
    const split = prng.bool(gen);
    for (const other of net.peers) other.group = split ? prng.int32(gen, 0, 1) : 0;
  }
}

function run(seed: number): void {
  const net = new Network(seed, PEERS);
  const first = net.peers[0]!;
  net.act(0, () =>
    createDataset(
      first.validated,
      {
        meta: { datasetId: 'lieux', title: 'Lieux' },
        schema: placesSchema,
        rows: Array.from({ length: 12 }, (_, i) => ({ nom: `lieu ${i}`, lat: i })),
      },
      { id: 'owner' },
    ),
  );
  // Everyone starts from the created dataset, as peers joining the room would.
  net.heal();
  for (const peer of net.peers) peer.index = new RowIndex(peer.validated);

  for (let i = 0; i < STEPS; i++) step(net);
  net.heal();
  console.log(`seed ${seed}: ${net.writes.length} changes,`, JSON.stringify(net.counts));

  // Every peer holds the same documents, and its live index matches a fresh read.
  const reference = snapshot(first);
  for (const peer of net.peers) expect(snapshot(peer)).toEqual(reference);
  const fresh = new Y.Doc();
  Y.applyUpdate(fresh, Y.encodeStateAsUpdate(first.validated));
  expect(readRows(fresh)).toEqual(reference.rows);

  // No recorded change is lost: every changelog entry any peer wrote is there.
  const ids = new Set(reference.changelog.map((e) => e.id));
  for (const w of net.writes) expect(ids.has(w.entry.id)).toBe(true);

  // A cell ends on the value of one of its latest writes (the only one when they were not concurrent).
  const byCell = new Map<string, Write[]>();
  const byRow = new Map<string, Write[]>();
  const kindOf = new Map(reference.changelog.map((e) => [e.id, e.kind]));
  for (const w of net.writes) {
    const { entry } = w;
    if (entry.field !== undefined && (entry.kind === 'set' || entry.kind === 'undo')) {
      const key = `${entry.rowId}/${entry.field}`;
      byCell.set(key, [...(byCell.get(key) ?? []), w]);
    } else if (entry.kind === 'delete' || entry.kind === 'restore' || entry.kind === 'undo') {
      byRow.set(entry.rowId, [...(byRow.get(entry.rowId) ?? []), w]);
    }
  }
  for (const writes of byCell.values()) {
    const { rowId, field } = writes[0]!.entry;
    const final = readCell(first.validated, rowId, field!);
    expect(latest(writes).map((w) => w.entry.new)).toContain(final);
  }
  // A row's deleted state is the effect of one of its latest deletes or restores.
  for (const [rowId, writes] of byRow) {
    const effects = latest(writes).map((w) => {
      if (w.entry.kind !== 'undo') return w.entry.kind === 'delete';
      return kindOf.get(w.entry.undoes ?? '') === 'create'; // undoing a creation deletes the row
    });
    expect(effects).toContain(deletedMap(first.validated).has(rowId));
  }
}

describe('convergence of peers editing and moderating one dataset', () => {
  afterAll(() => setIdSource(undefined));
  const replay = process.env.DATAPATCH_SEED;
  const base = replay ? Number(replay) : Math.floor(Math.random() * 0x7fffffff);
  const seeds = replay ? [base] : Array.from({ length: RUNS }, (_, i) => base + i);

  it.each(seeds)(
    'every peer ends identical and no accepted change is lost, despite reordering, duplicates, partitions and offline peers (seed %i)',
    (seed) => {
      console.log(
        `convergence: seed ${seed} (${PEERS} peers, ${STEPS} steps); replay with DATAPATCH_SEED=${seed}`,
      );
      run(seed);
    },
  );
});
