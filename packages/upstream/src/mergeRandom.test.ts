// Seeded random merges: random base releases, random hub edits and random upstream releases
// (key written differently, fields changed, records removed and added), then the invariants the
// hubs rely on are checked record by record. The seed is printed; DATAPATCH_SEED replays it.
import { type Cell, mulberry32, type Table, testSeed } from '@datapatch/io';
import { describe, expect, it } from 'vitest';
import { applyPlan } from './applyPlan.ts';
import { recordKey } from './recordKey.ts';
import { type HubRecord, mergeUpstream, sameCell } from './threeWayMerge.ts';

const seed = testSeed();
const runs = process.env.DATAPATCH_EXTENSIVE ? 2000 : 150;
const fields = ['id', 'a', 'b', 'c'];
const key = ['id'];

function scenario(random: () => number) {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  // A small alphabet, so both sides often write the same value.
  const value = (): Cell => pick(['x', 'y', 'z', '', null]);
  const size = 1 + Math.floor(random() * 12);
  const base: Table = { fields, rows: [] };
  const id = (i: number) => (i % 2 === 0 ? String(i) : `FS-${i}`);
  for (let i = 0; i < size; i++) base.rows.push({ id: id(i), a: value(), b: value(), c: value() });
  // Upstream writes keys its own way: case, spaces, leading zeros of a number.
  const reformat = (id: string) =>
    pick([id, id.toLowerCase(), ` ${id}  `, /^\d+$/.test(id) ? `00${id}` : id]);
  const upstream: Table = { fields, rows: [] };
  for (const row of base.rows) {
    if (random() < 0.15) continue;
    const next: Record<string, Cell> = { ...row, id: reformat(String(row.id)) };
    for (const f of ['a', 'b', 'c']) if (random() < 0.3) next[f] = value();
    upstream.rows.push(next);
  }
  let added = 0;
  for (let i = 0; i < 3; i++) {
    if (random() < 0.4) {
      upstream.rows.push({ id: id(size + i), a: value(), b: value(), c: value() });
      added++;
    }
  }
  const ours: HubRecord[] = base.rows.map((row, i) => {
    const values = { ...row };
    for (const f of ['a', 'b', 'c']) if (random() < 0.3) values[f] = value();
    return { id: `r${i}`, values, ...(random() < 0.1 ? { deleted: true } : {}) };
  });
  // A hub's own record, sometimes the same place upstream adds in this release.
  let sameAsNew = false;
  if (random() < 0.3) {
    const mine = pick([id(size), 'HUB-1']);
    sameAsNew = upstream.rows.some((row) => row.id === mine);
    ours.push({ id: 'mine', values: { id: mine, a: value(), b: null, c: 'x' } });
  }
  return { base, upstream, ours, expectedAdditions: added - (sameAsNew ? 1 : 0) };
}

describe('mergeUpstream on random releases', () => {
  it(`never loses a hub correction silently, and gives upstream's values where the hubs changed nothing (seed ${seed})`, () => {
    console.log(`upstream merge seed ${seed} (replay: DATAPATCH_SEED=${seed})`);
    const random = mulberry32(seed);
    for (let run = 0; run < runs; run++) {
      const { base, upstream, ours, expectedAdditions } = scenario(random);
      const plan = mergeUpstream({ base, upstream, ours, key });
      const result = applyPlan(ours, plan, (i) => `new${i}`);
      const resultById = new Map(result.map((r) => [r.id, r]));
      const byKey = (rows: Table['rows']) => new Map(rows.map((r) => [recordKey(r, key), r]));
      const baseByKey = byKey(base.rows);
      const upstreamByKey = byKey(upstream.rows);
      const conflictFields = new Map(plan.conflicts.map((c) => [c.rowId, c.fields]));
      const context = `seed ${seed}, run ${run}`;

      for (const mine of ours) {
        const k = recordKey(mine.values, key);
        const was = baseByKey.get(k);
        const theirs = upstreamByKey.get(k);
        const after = resultById.get(mine.id)!;
        for (const f of fields) {
          const hubsChanged = !sameCell(mine.values[f], was?.[f]);
          if (hubsChanged) {
            // A hub correction is never overwritten, and it is visible when upstream disagrees.
            expect(after.values[f], context).toBe(mine.values[f]);
            if (
              !mine.deleted &&
              theirs &&
              !sameCell(theirs[f], mine.values[f]) &&
              !sameCell(theirs[f], was?.[f])
            ) {
              expect(conflictFields.get(mine.id)?.[f], context).toEqual({
                base: was?.[f] ?? null,
                upstream: theirs[f] ?? null,
                ours: mine.values[f] ?? null,
              });
            }
            if (was && !theirs && !mine.deleted)
              expect(conflictFields.get(mine.id)?.[f], context).toBeDefined();
          } else if (theirs && !mine.deleted) {
            expect(sameCell(after.values[f], theirs[f]), `${context}: ${mine.id}.${f}`).toBe(true);
          }
        }
        if (was && !theirs && !mine.deleted && !conflictFields.has(mine.id)) {
          expect(
            plan.deletions.map((d) => d.rowId),
            context,
          ).toContain(mine.id);
        }
      }
      // Only the records new in this release are added, whatever way upstream wrote the others' keys.
      expect(plan.additions.length, context).toBe(expectedAdditions);
      expect(result.length, context).toBe(ours.length + expectedAdditions);
      expect(plan.issues, context).toEqual([]);
    }
  });
});
