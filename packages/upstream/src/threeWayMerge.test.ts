import { describe, expect, it } from 'vitest';
import { dryRun } from './dryRun.ts';
import { type HubRecord, mergeUpstream } from './threeWayMerge.ts';

const fields = ['id', 'nom', 'tel', 'horaires'];
const release = (...rows: Record<string, string>[]) => ({ fields, rows });
const place = (id: string, tel = '01', horaires = '9-12') => ({ id, nom: `Lieu ${id}`, tel, horaires });
const hub = (id: string, values: Record<string, string>, deleted = false): HubRecord => ({
  id: `row-${id}`,
  values,
  ...(deleted ? { deleted } : {}),
});

describe('mergeUpstream', () => {
  it('applies what upstream changed where the hubs did not', () => {
    const plan = mergeUpstream({
      base: release(place('1')),
      upstream: release(place('1', '02')),
      ours: [hub('1', place('1'))],
      key: ['id'],
    });
    expect(plan.updates).toEqual([
      { rowId: 'row-1', key: '1', field: 'tel', base: '01', upstream: '02', ours: '01' },
    ]);
    expect(plan.conflicts).toEqual([]);
  });

  it('keeps what the hubs corrected and upstream did not touch', () => {
    const plan = mergeUpstream({
      base: release(place('1')),
      upstream: release(place('1', '01', '10-12')),
      ours: [hub('1', place('1', '09'))],
      key: ['id'],
    });
    expect(plan.kept).toEqual([
      { rowId: 'row-1', key: '1', field: 'tel', base: '01', upstream: '01', ours: '09' },
    ]);
    expect(plan.updates.map((u) => [u.field, u.upstream])).toEqual([['horaires', '10-12']]);
  });

  it('reports a field both changed differently as a conflict with the three values', () => {
    const plan = mergeUpstream({
      base: release(place('1')),
      upstream: release(place('1', '02')),
      ours: [hub('1', place('1', '09'))],
      key: ['id'],
    });
    expect(plan.conflicts).toEqual([
      {
        kind: 'both-changed',
        rowId: 'row-1',
        key: '1',
        fields: { tel: { base: '01', upstream: '02', ours: '09' } },
      },
    ]);
    expect(plan.updates).toEqual([]);
    expect(plan.kept).toEqual([]);
  });

  it('counts the same change made on both sides as nothing to do', () => {
    const plan = mergeUpstream({
      base: release(place('1')),
      upstream: release(place('1', '02')),
      ours: [hub('1', place('1', '02'))],
      key: ['id'],
    });
    expect(plan.updates.length + plan.kept.length + plan.conflicts.length).toBe(0);
    expect(plan.unchanged).toBe(1);
  });

  it('proposes an untouched record upstream removed for deletion, and questions an edited one', () => {
    const plan = mergeUpstream({
      base: release(place('1'), place('2')),
      upstream: release(),
      ours: [hub('1', place('1')), hub('2', place('2', '09'))],
      key: ['id'],
    });
    expect(plan.deletions.map((d) => d.rowId)).toEqual(['row-1']);
    expect(plan.conflicts).toEqual([
      {
        kind: 'deleted-upstream',
        rowId: 'row-2',
        key: '2',
        fields: { tel: { base: '01', upstream: null, ours: '09' } },
      },
    ]);
  });

  it('adds new upstream records and keeps a removal the hubs made', () => {
    const plan = mergeUpstream({
      base: release(place('1')),
      upstream: release(place('1', '02'), place('2')),
      ours: [hub('1', place('1'), true)],
      key: ['id'],
    });
    expect(plan.additions).toEqual([{ key: '2', values: place('2') }]);
    expect(plan.removedHere).toEqual([{ rowId: 'row-1', key: '1', upstreamChanged: ['tel'] }]);
    expect(plan.updates).toEqual([]);
  });

  it('matches keys despite spaces, case and leading zeros, on composite keys too', () => {
    const plan = mergeUpstream({
      base: release({ ...place('007'), nom: 'Mairie  de Gex' }),
      upstream: release({ ...place(' 7 '), nom: 'MAIRIE DE GEX', tel: '02' }),
      ours: [hub('7', { ...place('7'), nom: 'mairie de gex ' })],
      key: ['id', 'nom'],
      fields: ['tel'],
    });
    expect(plan.additions).toEqual([]);
    expect(plan.updates.map((u) => [u.rowId, u.field, u.upstream])).toEqual([['row-7', 'tel', '02']]);
  });

  it('leaves records with an empty or duplicated key alone and lists them', () => {
    const plan = mergeUpstream({
      base: release(place('1'), place('2')),
      upstream: release(place('1', '02'), place('1', '03'), place('', '04'), place('2', '05')),
      ours: [hub('1', place('1')), hub('2', place('2'))],
      key: ['id'],
    });
    expect(plan.updates.map((u) => [u.rowId, u.upstream])).toEqual([['row-2', '05']]);
    expect(plan.additions).toEqual([]);
    expect(plan.issues).toEqual([
      { kind: 'duplicate-key', side: 'upstream', at: 2, key: '1' },
      { kind: 'missing-key', side: 'upstream', at: 3, key: null },
    ]);
  });

  it('without a base, fills empty fields and questions every other difference', () => {
    const plan = mergeUpstream({
      base: null,
      upstream: release(place('1', '02')),
      ours: [hub('1', { ...place('1', '09'), horaires: '' })],
      key: ['id'],
    });
    expect(plan.hadBase).toBe(false);
    expect(plan.updates.map((u) => [u.field, u.upstream])).toEqual([['horaires', '9-12']]);
    expect(plan.conflicts[0]?.fields).toEqual({ tel: { base: null, upstream: '02', ours: '09' } });
  });

  it('never reads or changes a field outside the ones it may change', () => {
    const plan = mergeUpstream({
      base: release(place('1')),
      upstream: release({ ...place('1', '02'), nom: 'Autre' }),
      ours: [hub('1', { ...place('1'), note: 'interne' })],
      key: ['id'],
      fields: ['tel'],
    });
    expect(plan.updates.map((u) => u.field)).toEqual(['tel']);
  });

  it('sums the plan up for a dry run with a few examples of each outcome', () => {
    const plan = mergeUpstream({
      base: release(place('1'), place('2'), place('3')),
      upstream: release(place('1', '02', '10-12'), place('3'), place('4')),
      ours: [hub('1', place('1')), hub('2', place('2')), hub('3', place('3', '09'))],
      key: ['id'],
    });
    const run = dryRun(plan, 1);
    expect(run.counts).toEqual({
      fieldsToApply: 2,
      recordsToUpdate: 1,
      recordsToAdd: 1,
      correctionsKept: 1,
      conflicts: 0,
      proposedDeletions: 1,
      removedHere: 0,
      unchanged: 0,
      keyIssues: 0,
    });
    expect(run.examples.updates).toHaveLength(1);
  });
});
