/**
 * Auto-approval rules, then a seeded random run: offline devices propose from stale copies,
 * concurrent moderators decide on their own copies, updates arrive in random order, and the
 * server applies the rules. Replay: DATAPATCH_SEED=<seed> pnpm vitest run packages/core/src/auto-approval.test.ts
 */
import * as prng from 'lib0/prng';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import {
  AUTO_APPROVER,
  autoApprovalDecision,
  autoApprovalNote,
  neverAutoApprovable,
  readAutoApprovalSettings,
  runAutoApproval,
  trustOf,
  writeAutoApprovalSettings,
} from './auto-approval.ts';
import { readCell } from './edits.ts';
import { verifiedAt } from './freshness.ts';
import { changelogArray, decisionsMap, proposalsMap } from './layout.ts';
import { acceptProposal, rejectProposal, undoDecision } from './moderation.ts';
import { addProposal, getProposal } from './proposals.ts';
import { loadCopy, moderator, placesDataset } from './test-fixtures.ts';
import type { CellValue, Proposal } from './types.ts';

afterEach(() => vi.useRealTimers());

let clock = Date.parse('2026-01-01T00:00:00Z');
function tick(): void {
  clock += 1000;
  vi.setSystemTime(clock);
}

function setup() {
  vi.useFakeTimers({ toFake: ['Date'] });
  const { doc: validated, rowIds } = placesDataset();
  const pending = new Y.Doc();
  writeAutoApprovalSettings(pending, validated, {
    fields: ['commune', 'ouvert', 'nom', 'lat'],
    acceptedNeeded: 2,
    window: 5,
  });
  return { validated, pending, rowIds };
}

function propose(
  pending: Y.Doc,
  validated: Y.Doc,
  rowId: string,
  contributor: string,
  proposed: Record<string, CellValue>,
): Proposal {
  tick();
  const base: Record<string, CellValue> = {};
  for (const field of Object.keys(proposed)) base[field] = readCell(validated, rowId, field) ?? null;
  return addProposal(pending, { datasetId: 'lieux', kind: 'change', rowId, base, proposed, contributor });
}

function earnTrust(validated: Y.Doc, pending: Y.Doc, rowId: string, contributor: string, times = 2): void {
  for (let i = 0; i < times; i++) {
    const p = propose(pending, validated, rowId, contributor, { cp: `5900${i}` });
    tick();
    expect(acceptProposal(validated, pending, p.id, { moderator }).ok).toBe(true);
  }
}

describe('auto-approval rules', () => {
  it('never keeps a name or a position among the auto-approvable fields', () => {
    const { pending } = setup();
    expect(readAutoApprovalSettings(pending).fields).toEqual(['commune', 'ouvert']);
  });

  it('knows positions and names by any word of the field name (geo_point_2d_lat, nom_structure)', () => {
    const { validated } = setup();
    for (const field of ['geo_point_2d_lat', 'geo_point_2d_long', 'geo_shape', 'nom_structure', 'Latitude'])
      expect(neverAutoApprovable(validated, field)).toBe(true);
    for (const field of ['horaire', 'telephone', 'acces_pmr'])
      expect(neverAutoApprovable(validated, field)).toBe(false);
  });

  it('trusts a contributor after N accepted proposals and approves their hours-like change', () => {
    const { validated, pending, rowIds } = setup();
    const row = rowIds[0]!;
    expect(trustOf(pending, 'dev-1', readAutoApprovalSettings(pending)).trusted).toBe(false);
    earnTrust(validated, pending, row, 'dev-1');
    expect(trustOf(pending, 'dev-1', readAutoApprovalSettings(pending)).trusted).toBe(true);
    const p = propose(pending, validated, row, 'dev-1', { commune: 'Lomme' });
    expect(runAutoApproval(validated, pending)).toEqual([p.id]);
    expect(readCell(validated, row, 'commune')).toBe('Lomme');
    const decision = getProposal(pending, p.id)?.decision;
    expect(decision?.automatic).toBe(true);
    expect(decision?.by.id).toBe(AUTO_APPROVER.id);
    const entry = changelogArray(validated)
      .toArray()
      .find((e) => e.proposalId === p.id);
    expect(entry?.by.name).toBe('acceptée automatiquement');
    expect(verifiedAt(validated, row).commune).toBeDefined();
  });

  it('leaves a name change, a stale base and a field another proposal touches to moderators, saying why', () => {
    const { validated, pending, rowIds } = setup();
    const row = rowIds[0]!;
    earnTrust(validated, pending, row, 'dev-1');
    const name = propose(pending, validated, row, 'dev-1', { nom: 'Hôtel de ville' });
    const stale = propose(pending, validated, row, 'dev-1', { ouvert: false });
    validated.transact(() => undefined);
    tick();
    acceptProposal(validated, pending, propose(pending, validated, row, 'dev-2', { ouvert: false }).id, {
      moderator,
    });
    const a = propose(pending, validated, rowIds[1]!, 'dev-1', { commune: 'Croix' });
    const b = propose(pending, validated, rowIds[1]!, 'dev-3', { commune: 'Wasquehal' });
    expect(runAutoApproval(validated, pending)).toEqual([]);
    const codes = (id: string) => {
      const note = autoApprovalNote(pending, id);
      return note && !note.approve ? note.reasons.map((r) => r.code) : [];
    };
    expect(codes(name.id)).toContain('field-not-auto');
    expect(codes(stale.id)).toEqual(['stale-base']);
    expect(codes(a.id)).toEqual(['other-pending']);
    expect(codes(b.id)).toContain('not-trusted');
  });

  it('withdraws trust after one refusal, and after an undo', () => {
    const { validated, pending, rowIds } = setup();
    const row = rowIds[0]!;
    earnTrust(validated, pending, row, 'dev-1');
    const settings = readAutoApprovalSettings(pending);
    const bad = propose(pending, validated, row, 'dev-1', { cp: 'x' });
    tick();
    rejectProposal(pending, bad.id, { moderator });
    expect(trustOf(pending, 'dev-1', settings).trusted).toBe(false);

    earnTrust(validated, pending, row, 'dev-2');
    const auto = propose(pending, validated, row, 'dev-2', { ouvert: false });
    expect(runAutoApproval(validated, pending)).toEqual([auto.id]);
    tick();
    expect(undoDecision(validated, pending, auto.id, moderator).ok).toBe(true);
    expect(readCell(validated, row, 'ouvert')).toBe(true);
    expect(trustOf(pending, 'dev-2', settings).trusted).toBe(false);
    expect(
      autoApprovalDecision(auto, validated, pending, trustOf(pending, 'dev-2', settings), settings).approve,
    ).toBe(false);
  });
});

describe('auto-approval under concurrent moderators and offline devices (seeded)', () => {
  it('never applies a stale base or a non-auto field, and a refusal withdraws trust', () => {
    const seed = Number(process.env.DATAPATCH_SEED ?? Math.floor(Math.random() * 2 ** 31));
    console.log(`auto-approval random test seed ${seed} (replay: DATAPATCH_SEED=${seed})`);
    const gen = prng.create(seed);
    const { validated, pending, rowIds } = setup();
    const server = { validated, pending };
    const mods = [0, 1].map(() => ({ validated: loadCopy(validated), pending: loadCopy(pending) }));
    const devices = [0, 1, 2, 3].map((i) => ({
      id: `dev-${i}`,
      copy: loadCopy(validated),
      outbox: [] as Proposal[],
    }));
    const fields = ['commune', 'cp', 'ouvert', 'nom', 'lat'];
    const values: CellValue[] = ['a', 'b', 'c', true, false, null];
    const sync = (from: Y.Doc, to: Y.Doc) =>
      Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
    const settings = readAutoApprovalSettings(pending);
    let automatic = 0;
    let withdrawn = 0;

    for (let step = 0; step < 400; step++) {
      tick();
      const roll = prng.uint32(gen, 0, 9);
      const device = devices[prng.uint32(gen, 0, devices.length - 1)]!;
      const mod = mods[prng.uint32(gen, 0, mods.length - 1)]!;
      if (roll <= 2) {
        // An offline device proposes from the copy it has (maybe stale).
        const row = rowIds[prng.uint32(gen, 0, rowIds.length - 1)]!;
        const field = fields[prng.uint32(gen, 0, fields.length - 1)]!;
        const value = values[prng.uint32(gen, 0, values.length - 1)]!;
        device.outbox.push({
          id: `p${step}`,
          datasetId: 'lieux',
          kind: 'change',
          rowId: row,
          base: { [field]: readCell(device.copy, row, field) ?? null },
          proposed: { [field]: value },
          contributor: device.id,
          createdAt: new Date().toISOString(),
          revision: 1,
        });
      } else if (roll === 3) {
        // The device comes online: its outbox reaches the server, it downloads fresh data.
        for (const p of device.outbox.splice(0)) addProposal(server.pending, p);
        sync(server.validated, device.copy);
      } else if (roll <= 6) {
        // A moderator decides on their own copy, maybe not up to date.
        const waiting = [...proposalsMap(mod.pending).values()].filter(
          (p) => !decisionsMap(mod.pending).get(p.id),
        );
        const p = waiting[prng.uint32(gen, 0, Math.max(0, waiting.length - 1))];
        if (p) {
          const choice = prng.uint32(gen, 0, 7);
          if (choice === 0) rejectProposal(mod.pending, p.id, { moderator });
          else acceptProposal(mod.validated, mod.pending, p.id, { moderator, force: choice === 1 });
        } else {
          const decided = [...decisionsMap(mod.pending).entries()].filter(([, d]) => !d.undone);
          const undo = decided[prng.uint32(gen, 0, Math.max(0, decided.length - 1))];
          if (undo && prng.uint32(gen, 0, 3) === 0)
            undoDecision(mod.validated, mod.pending, undo[0], moderator);
        }
      } else if (roll <= 8) {
        // Updates travel in random order between the server and a moderator.
        if (prng.bool(gen)) {
          sync(mod.validated, server.validated);
          sync(mod.pending, server.pending);
        } else {
          sync(server.pending, mod.pending);
          sync(server.validated, mod.validated);
        }
      } else {
        // The server applies the rules on what it holds now.
        const refusedLast = new Set<string>();
        for (const d of devices) {
          const latest = [...proposalsMap(server.pending).values()]
            .filter((p) => p.contributor === d.id)
            .map((p) => decisionsMap(server.pending).get(p.id))
            .filter((x) => x !== undefined && !x.automatic)
            .map((x) =>
              x!.undone ? { at: x!.undone.at, bad: true } : { at: x!.at, bad: x!.status !== 'accepted' },
            )
            .sort((a, b) => (a.at < b.at ? -1 : 1))
            .at(-1);
          if (latest?.bad) {
            refusedLast.add(d.id);
            withdrawn++;
            expect(trustOf(server.pending, d.id, settings).trusted).toBe(false);
          }
        }
        const before = new Map(
          [...proposalsMap(server.pending).values()].map((p) => [p.id, structuredClone(p)] as const),
        );
        const seen = changelogArray(server.validated).length;
        const approved = runAutoApproval(server.validated, server.pending);
        automatic += approved.length;
        for (const entry of changelogArray(server.validated).toArray().slice(seen)) {
          expect(entry.by.id).toBe(AUTO_APPROVER.id);
          const p = before.get(entry.proposalId ?? '')!;
          expect(settings.fields).toContain(entry.field);
          expect(refusedLast.has(p.contributor ?? '')).toBe(false);
          // The base the contributor saw is what the cell held when the change was applied.
          expect(entry.old).toEqual(p.base[entry.field!]);
        }
      }
    }
    console.log(
      `auto-approval random test: ${automatic} approved automatically, ${withdrawn} trust withdrawals seen`,
    );
    // Not an assertion on the seed's luck: the run must have exercised both rules at least once.
    expect(automatic + withdrawn).toBeGreaterThan(0);
  });
});

describe('"c’est toujours exact"', () => {
  it('a trusted contributor’s confirmation changes no value, is approved automatically and refreshes every field it names', () => {
    const { validated, pending, rowIds } = setup();
    const row = rowIds[2]!;
    earnTrust(validated, pending, rowIds[0]!, 'dev-1');
    const current = { nom: 'Piscine', commune: 'Tourcoing' };
    tick();
    const p = addProposal(pending, {
      datasetId: 'lieux',
      kind: 'change',
      rowId: row,
      base: current,
      proposed: current,
      contributor: 'dev-1',
    });
    expect(runAutoApproval(validated, pending)).toEqual([p.id]);
    expect(
      changelogArray(validated)
        .toArray()
        .some((e) => e.proposalId === p.id),
    ).toBe(false);
    expect(Object.keys(verifiedAt(validated, row)).sort()).toEqual(['commune', 'nom']);
    // Stale: the contributor confirmed a value that is no longer there.
    const stale = addProposal(pending, {
      datasetId: 'lieux',
      kind: 'change',
      rowId: row,
      base: { commune: 'Lille' },
      proposed: { commune: 'Lille' },
      contributor: 'dev-1',
    });
    expect(runAutoApproval(validated, pending)).toEqual([]);
    expect(getProposal(pending, stale.id)?.status).toBe('pending');
  });
});
