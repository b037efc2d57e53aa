// The merge on a real release (France services, Hérault, 1 Dec 2022) and the next one made from it
// by the edits listed in fixtures/france-services/README.md, with corrections the hubs made.
import { readFileSync } from 'node:fs';
import { type Cell, importFile, type Table } from '@datapatch/io';
import { describe, expect, it } from 'vitest';
import { applyPlan } from './applyPlan.ts';
import { changesSinceRelease } from './changesSinceRelease.ts';
import { type HubRecord, mergeUpstream } from './threeWayMerge.ts';

async function release(name: string): Promise<Table> {
  const bytes = readFileSync(new URL(`../fixtures/france-services/${name}`, import.meta.url));
  const read = await importFile(new Uint8Array(bytes), { filename: name });
  if (!read.ok) throw new Error(read.error.code);
  return read.table;
}

const base = await release('liste-fs-20221201-herault.csv');
const next = await release('liste-fs-next-herault.csv');

/** The hubs' data: the 2022 release as a typed dataset holds it (a numeric id_fs as a number), corrected. */
function hubsData(): HubRecord[] {
  const corrections: Record<string, Record<string, Cell>> = {
    '211': { mail: 'contact@lodevois-larzac.fr' }, // upstream leaves it: kept
    '205': { telephone: '04 67 26 37 11' }, // upstream changes it too: conflict
    '1296': { mail: 'olargues@france-services.fr' }, // upstream removes the place: conflict
    '2051': { lib_fs: 'France services Béziers Centre-Ville' }, // the same rename as upstream
    '2190': { telephone: '04 67 43 98 00' }, // upstream changes another field of the place
  };
  return base.rows.map((row) => {
    const id = String(row.id_fs);
    const key = /^\d+$/.test(id) ? Number(id) : id; // one place is "temp_79"
    return { id: `row-${id}`, values: { ...row, id_fs: key, ...corrections[id] } };
  });
}

describe('taking in the next France services release', () => {
  const ours = hubsData();
  const plan = mergeUpstream({ base, upstream: next, ours, key: ['id_fs'] });

  it('matches every record although the hubs hold the key as a number', () => {
    expect(plan.issues).toEqual([]);
    expect(plan.removedHere).toEqual([]);
    expect(plan.unchanged).toBe(49 - 2 - 6); // closed: 1290, 1296; touched: 202 205 207 211 846 2190
    expect(plan.additions.map((a) => a.key)).toEqual(['2900', '2901']);
  });

  it("lands upstream's real changes where the hubs changed nothing", () => {
    const applied = plan.updates.map((u) => `${u.rowId} ${u.field} ${u.upstream}`);
    expect(applied).toEqual([
      'row-202 h_mercredi 09:00 - 12:00 / 14:00 - 17:30',
      ...['h_lundi', 'h_mardi', 'h_mercredi', 'h_jeudi', 'h_vendredi'].map(
        (d) => `row-207 ${d} 08:30 - 12:00 / 13:30 - 17:00`,
      ),
      'row-846 telephone 04 67 23 36 00',
      'row-2190 h_mercredi 08:00 - 12:00 / 14:00 - 17:00',
    ]);
  });

  it("keeps the hubs' corrections upstream did not touch", () => {
    expect(plan.kept.map((k) => `${k.rowId} ${k.field} ${k.ours}`)).toEqual([
      'row-211 mail contact@lodevois-larzac.fr',
      'row-2190 telephone 04 67 43 98 00',
    ]);
    const after = applyPlan(ours, plan, (i) => `new-${i}`);
    const mèze = after.find((r) => r.id === 'row-2190')!;
    expect(mèze.values).toMatchObject({
      telephone: '04 67 43 98 00',
      h_mercredi: '08:00 - 12:00 / 14:00 - 17:00',
    });
    expect(after).toHaveLength(49 + 2);
  });

  it('brings out conflicts with the three values, and proposes the untouched closed place for deletion', () => {
    expect(plan.conflicts).toEqual([
      {
        kind: 'both-changed',
        rowId: 'row-205',
        key: '205',
        fields: { telephone: { base: '04 67 26 37 10', upstream: '04 67 26 37 99', ours: '04 67 26 37 11' } },
      },
      {
        kind: 'deleted-upstream',
        rowId: 'row-1296',
        key: '1296',
        fields: {
          mail: {
            base: 'olargues@france-services.gouv.fr',
            upstream: null,
            ours: 'olargues@france-services.fr',
          },
        },
      },
    ]);
    expect(plan.deletions.map((d) => d.rowId)).toEqual(['row-1290']);
  });

  it("exports the hubs' corrections since the 2022 release for ANCT to apply", () => {
    const changes = changesSinceRelease({ base, ours, key: ['id_fs'] });
    expect(changes.rows.map((r) => `${r.id_fs} ${r.champ} ${r.valeur_corrigee}`)).toEqual([
      '205 telephone 04 67 26 37 11',
      '211 mail contact@lodevois-larzac.fr',
      '1296 mail olargues@france-services.fr',
      '2051 lib_fs France services Béziers Centre-Ville',
      '2190 telephone 04 67 43 98 00',
    ]);
  });
});
