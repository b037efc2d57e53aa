import { readFileSync, writeFileSync } from 'node:fs';
import Papa from 'papaparse';
import { DuplicateIndex, deriveFieldRoles } from '../packages/quality/src/index.ts';
const D = '../shared/data/';
function load(path: string) {
  const text = readFileSync(D + path, 'utf8').replace(/^\uFEFF/, '');
  const r = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  return { fields: r.meta.fields!, rows: r.data };
}
const fs = load('france-services/liste-fs-20221201.csv');
const sets: Record<string, { fields: string[]; rows: Record<string, string>[] }> = {
  fs: { ...fs, rows: fs.rows.filter((r) => ['39', '70', '71', '58', '89', '90'].includes(r.insee_dep!)) },
  bfc: load('datami-bfc-ternum/csv/bfc-ternum-dataset.csv'),
  doubs: load('datami-doubs-inclusion/csv/geocoding/geocoded.csv'),
};
const doubsAll = sets.doubs!.rows;
sets.bfc!.rows = sets.bfc!.rows.filter((r) => ['39', '70', '71', '58', '89', '90'].includes(String(r.departement)));
const idx = new DuplicateIndex();
const rolesOf: Record<string, ReturnType<typeof deriveFieldRoles>> = {};
for (const [id, d] of Object.entries(sets)) {
  rolesOf[id] = deriveFieldRoles(d.fields.map((name) => ({ name })));
  d.rows.forEach((r, i) => idx.add({ datasetId: id, recordId: String(i) }, r, rolesOf[id]!));
}
const show = (id: string, i: string) => { const r = sets[id]!.rows[Number(i)]!; const ro = rolesOf[id]!; return `${id}#${i} ${r[ro.name!]} | ${r[ro.address!]} ${r[ro.postcode!]} ${r[ro.city!]} | ${r[ro.phone!] ?? ''} | ${r[ro.email!] ?? ''} | ${r[ro.latitude!]},${r[ro.longitude!]}`; };
const key = (id: string, i: string) => { const r = sets[id]!.rows[Number(i)]!; return id === 'fs' ? r.id_fs : id === 'bfc' ? r.bfc_id : String(doubsAll.indexOf(r) + 1); };
const keys: string[] = [];
const out: string[] = [];
let n = 0;
for (const [a, c] of idx.likelyPairs({ minScore: 0.05 })) {
  if (a.datasetId === c.ref.datasetId) continue;
  keys.push(`P${n}\t${a.datasetId}\t${key(a.datasetId, a.recordId)}\t${c.ref.datasetId}\t${key(c.ref.datasetId, c.ref.recordId)}`);
  out.push(`P${n++} ${c.meters === null ? '?' : c.meters.toFixed(0)}m\n  A ${show(a.datasetId, a.recordId)}\n  B ${show(c.ref.datasetId, c.ref.recordId)}`);
}
writeFileSync('/tmp/heldout.txt', out.join('\n'));
writeFileSync('/tmp/heldout-keys.tsv', keys.join('\n'));
console.log(n);
