/**
 * Builds fixtures/labelled-pairs.json, the labelled pairs the precision/recall test reads, from
 * ../shared/data (run: npx tsx packages/quality/src/make-labelled-pairs.ts). Same data, same
 * seed, same file. Only the columns the comparison reads are kept, so the fixture stays small.
 *
 * Three kinds of pairs:
 *  - real overlaps between the Doubs and BFC inclusion lists and the France services list, labelled
 *    by hand (fixtures/hand-labels.tsv: the rows were read side by side), and a held-out set from
 *    five other departments labelled once the comparison was settled (hand-labels-held-out.tsv);
 *  - a France services row and its copy from a second, perturbed import of the same list
 *    (duplicates by construction; the perturbations are listed in each pair's note);
 *  - a perturbed copy and the nearest *other* France services (not duplicates: distinct rows of
 *    the official list, checked by reading them).
 */

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '@datapatch/io';
import { importFilePath } from '@datapatch/io/node';
import { deriveFieldRoles } from './field-roles.ts';
import { distanceMeters, readPosition } from './place.ts';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = resolve(here, '../fixtures');
const shared = process.env.DATAPATCH_SHARED_DATA ?? resolve(here, '../../../../shared/data');

/** The fixed seed of the perturbed import: change it and the fixture changes. */
const seed = 18;

type Row = Record<string, string | number | boolean | null>;

interface Source {
  file: string;
  repository: string;
  path: string;
  commit: string;
  licence: string;
  /** How a row is named in hand-labels.tsv. */
  key: string;
}

const sources: Record<string, Source> = {
  fs: {
    file: 'france-services/liste-fs-20221201.csv',
    repository: 'anct-cartographie-nationale/mednum-cli',
    path: 'assets/input/france-services/liste-fs-20221201.csv',
    commit: 'abcdd2a7beacf955e8af467a92924af1c9f7a0c6',
    licence: 'not stated for the data (repository code: MIT); ANCT France services list',
    key: 'id_fs',
  },
  bfc: {
    file: 'datami-bfc-ternum/csv/bfc-ternum-dataset.csv',
    repository: 'multi-coop/data-bfc-ternum',
    path: 'csv/bfc-ternum-dataset.csv',
    commit: 'c1625dfeac616a588a10f1734215ff1f0d2044c2',
    licence: 'not stated',
    key: 'bfc_id',
  },
  doubs: {
    file: 'datami-doubs-inclusion/csv/geocoding/geocoded.csv',
    repository: 'multi-coop/data-doubs-inclusion',
    path: 'csv/geocoding/geocoded.csv',
    commit: '3e4c7c101c536f43bf9928e5f9a881e9007b9231',
    licence: 'not stated',
    key: 'row number (1 = first data row)',
  },
};

async function load(file: string): Promise<{ fields: string[]; rows: Row[] }> {
  const result = await importFilePath(resolve(shared, file));
  if (!result.ok) throw new Error(`${file}: ${result.error.code}`);
  return { fields: result.table.fields, rows: result.table.rows as Row[] };
}

function keptColumns(fields: string[]): string[] {
  const roles = deriveFieldRoles(fields.map((name) => ({ name })));
  const kept = new Set(Object.values(roles));
  return fields.filter((f) => kept.has(f));
}

function pick(row: Row, columns: string[]): Row {
  return Object.fromEntries(columns.map((c) => [c, row[c] ?? null]));
}

// ——— the perturbed second import ———

const noAccents = (t: string) => t.normalize('NFD').replace(/\p{M}/gu, '');
const abbreviations: [RegExp, string][] = [
  [/\bSaint\b/g, 'St'],
  [/\bSainte\b/g, 'Ste'],
  [/\bAvenue\b/gi, 'Av.'],
  [/\bBoulevard\b/gi, 'Bd'],
  [/\bPlace\b/gi, 'Pl.'],
  [/\bRue\b/gi, 'R.'],
  [/\bGénéral\b/g, 'Gal'],
];

function typo(word: string, random: () => number): string {
  const i = 1 + Math.floor(random() * (word.length - 2));
  const kind = Math.floor(random() * 3);
  if (kind === 0) return word.slice(0, i) + word.slice(i + 1); // a letter left out
  if (kind === 1) return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2); // two swapped
  return word.slice(0, i) + word[i] + word.slice(i); // a letter doubled
}

function perturb(row: Row, random: () => number): { row: Row; how: string[] } {
  const out = { ...row };
  const how: string[] = [];
  const text = (f: string) => String(out[f] ?? '');
  const chance = (p: number) => random() < p;
  if (chance(0.5)) {
    for (const f of ['lib_fs', 'adresse', 'lib_com']) out[f] = noAccents(text(f));
    how.push('accents dropped');
  }
  if (chance(0.4)) {
    let address = text('adresse');
    for (const [from, to] of abbreviations) address = address.replace(from, to);
    let name = text('lib_fs').replace(/\bSaint-/g, 'St-');
    if (chance(0.5))
      name = name.replace(/^France services\b/i, () =>
        chance(0.5) ? 'Maison France Services' : 'Espace France services',
      );
    out.adresse = address;
    out.lib_fs = name;
    how.push('abbreviations');
  }
  if (chance(0.35)) {
    const words = text('lib_fs').split(' ');
    const long = words
      .map((w, i) => [w, i] as const)
      .filter(([w]) => w.length >= 6 && !/^france|services$/i.test(w));
    const chosen = long[Math.floor(random() * long.length)];
    if (chosen) {
      words[chosen[1]] = typo(chosen[0], random);
      out.lib_fs = words.join(' ');
      how.push('typo in the name');
    }
  }
  if (chance(0.3)) {
    out.lib_fs = text('lib_fs').replace(/-/g, ' ').toUpperCase();
    out.lib_com = text('lib_com').toUpperCase();
    how.push('capitals, hyphens dropped');
  }
  if (chance(0.7)) {
    const meters = 10 + random() * 70;
    const bearing = random() * 2 * Math.PI;
    const lat = Number(out.latitude);
    const dLat = (meters * Math.cos(bearing)) / 111_320;
    const dLon = (meters * Math.sin(bearing)) / (111_320 * Math.cos((lat * Math.PI) / 180));
    out.latitude = Number((lat + dLat).toFixed(6));
    out.longitude = Number((Number(out.longitude) + dLon).toFixed(6));
    how.push(`moved ${Math.round(meters)} m`);
  }
  const phone = text('telephone').replace(/\s/g, '');
  if (phone.length === 10 && chance(0.6)) {
    const formats = [
      () =>
        `+33 ${phone.slice(1, 2)} ${phone
          .slice(2)
          .replace(/(\d\d)/g, '$1 ')
          .trim()}`,
      () => phone.replace(/(\d\d)(?=\d)/g, '$1.'),
      () => phone,
    ];
    out.telephone = formats[Math.floor(random() * formats.length)]!();
    how.push('phone written otherwise');
  } else if (chance(0.2)) {
    out.telephone = null;
    how.push('phone left out');
  }
  if (chance(0.25)) {
    out.mail = null;
    how.push('e-mail left out');
  }
  if (how.length === 0) {
    out.lib_fs = noAccents(text('lib_fs'));
    how.push('accents dropped');
  }
  return { row: out, how };
}

interface PairSide {
  dataset: string;
  row: string;
  values: Row;
}

interface LabelledPair {
  a: PairSide;
  b: PairSide;
  duplicate: boolean;
  kind: 'hand-labelled' | 'held-out' | 'perturbed-copy' | 'nearest-other';
  note: string;
}

async function main(): Promise<void> {
  const data: Record<string, { fields: string[]; rows: Row[] }> = {};
  for (const [id, source] of Object.entries(sources)) data[id] = await load(source.file);
  const columns = Object.fromEntries(Object.entries(data).map(([id, d]) => [id, keptColumns(d.fields)]));

  const rowOf = (dataset: string, key: string): Row => {
    const d = data[dataset]!;
    const row =
      dataset === 'doubs'
        ? d.rows[Number(key) - 1]
        : d.rows.find((r) => String(r[sources[dataset]!.key]) === key);
    if (!row) throw new Error(`${dataset} ${key}: no such row`);
    return row;
  };
  const side = (dataset: string, key: string, row = rowOf(dataset, key)): PairSide => ({
    dataset,
    row: key,
    values: pick(row, columns[dataset]!),
  });

  const pairs: LabelledPair[] = [];
  const labelFiles = [
    ['hand-labels.tsv', 'hand-labelled'],
    ['hand-labels-held-out.tsv', 'held-out'],
  ] as const;
  for (const [file, kind] of labelFiles) {
    const labels = readFileSync(resolve(fixtures, file), 'utf8').trim().split('\n').slice(1);
    for (const line of labels) {
      const [da, ka, db, kb, duplicate, note] = line.split('\t');
      pairs.push({
        a: side(da!, ka!),
        b: side(db!, kb!),
        duplicate: duplicate === 'yes',
        kind,
        note: note ?? '',
      });
    }
  }

  const random = mulberry32(seed);
  const fs = data.fs!;
  const roles = deriveFieldRoles(fs.fields.map((name) => ({ name })));
  const located = fs.rows.filter((r) => readPosition(r, roles) !== null);
  const chosen = new Set<Row>();
  while (chosen.size < 70) chosen.add(located[Math.floor(random() * located.length)]!);
  let negatives = 0;
  for (const original of chosen) {
    const key = String(original.id_fs);
    const { row: copy, how } = perturb(original, random);
    const copySide: PairSide = { dataset: 'fs-copy', row: key, values: pick(copy, columns.fs!) };
    pairs.push({
      a: copySide,
      b: side('fs', key, original),
      duplicate: true,
      kind: 'perturbed-copy',
      note: how.join(', '),
    });
    if (negatives >= 35) continue;
    const here = readPosition(original, roles)!;
    let nearest: Row | null = null;
    let best = Number.POSITIVE_INFINITY;
    for (const other of located) {
      if (other === original) continue;
      const d = distanceMeters(here, readPosition(other, roles)!);
      if (d < best) {
        best = d;
        nearest = other;
      }
    }
    if (nearest && best < 8000) {
      negatives++;
      pairs.push({
        a: copySide,
        b: side('fs', String(nearest.id_fs), nearest),
        duplicate: false,
        kind: 'nearest-other',
        note: `nearest other France services, ${Math.round(best)} m`,
      });
    }
  }

  const fixture = {
    about:
      'Pairs of records labelled duplicate or not, for the precision/recall test of packages/quality. Built by src/make-labelled-pairs.ts from ../shared/data; only the columns the comparison reads are kept. "fs-copy" is a second import of the France services list with the perturbations named in each note (seed 18).',
    sources: { ...sources, 'fs-copy': { ...sources.fs, note: 'perturbed copy of fs, see each pair' } },
    fields: { ...columns, 'fs-copy': columns.fs },
    pairs,
  };
  // One pair per line: the file stays readable in a diff without doubling its size.
  const { pairs: all, ...head } = fixture;
  const body = all.map((p) => `  ${JSON.stringify(p)}`).join(',\n');
  const text = `${JSON.stringify(head, null, 1).slice(0, -2)},\n "pairs": [\n${body}\n ]\n}\n`;
  JSON.parse(text);
  writeFileSync(resolve(fixtures, 'labelled-pairs.json'), text);
  const count = (k: string, d: boolean) => pairs.filter((p) => p.kind === k && p.duplicate === d).length;
  console.log(
    `${pairs.length} pairs: hand-labelled ${count('hand-labelled', true)} duplicates / ${count('hand-labelled', false)} not; held out ${count('held-out', true)} / ${count('held-out', false)}; perturbed copies ${count('perturbed-copy', true)}; nearest other ${count('nearest-other', false)}`,
  );
}

await main();
