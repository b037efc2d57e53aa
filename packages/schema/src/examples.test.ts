// The schema repositories' own examples: valid ones pass, invalid ones fail with the errors they
// were written to show. Runs on the committed fixtures (a copy of ../shared/data, see fixtures/README.md).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { importFile } from '@datapatch/io';
import { describe, expect, it } from 'vitest';
import { compileSchema, serverCustomChecks, toTableSchema } from './server.ts';

const fixtures = new URL('../fixtures/', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, fixtures));

async function validate(schemaPath: string, csvPath: string) {
  const { schema } = toTableSchema(JSON.parse(read(schemaPath).toString('utf8')));
  const imported = await importFile(new Uint8Array(read(csvPath)), { filename: csvPath });
  if (!imported.ok) throw new Error(imported.error.code);
  return compileSchema(schema, { customChecks: serverCustomChecks }).validateTable(imported.table.rows, {
    labels: imported.table.fields,
  });
}

const summary = (report: Awaited<ReturnType<typeof validate>>) =>
  report.errors.map((e) => [e.row, e.field, e.code, e.constraint ?? e.check ?? null]);

describe('valid examples pass', () => {
  it.each([
    ['dae/schema.json', 'dae/exemple_valide.csv'],
    ['stationnement/schema.json', 'stationnement/exemple-valide.csv'],
    ['mednum-standard/schema.json', 'mednum-standard/exemple-valide.csv'],
    ['inclusion-numerique/schema.json', 'inclusion-numerique/exemple-valide.csv'],
    // Its second row is titled "Exemple invalide" but passes the v2.3.0 patterns (see SOURCES.md).
    ['irve/schema-statique.json', 'irve/exemple-valide-statique.csv'],
    ['irve/schema-dynamique.json', 'irve/exemple-valide-dynamique.csv'],
    ['acceslibre/schema.json', 'acceslibre/exemple.csv'],
    ['datami-bfc-ternum/bfc-ternum-schema.json', 'datami-bfc-ternum/bfc-ternum-dataset.csv'],
  ])('%s ← %s', async (schema, csv) => {
    const report = await validate(schema, csv);
    expect(summary(report)).toEqual([]);
    expect(report.valid).toBe(true);
  });
});

describe('valid examples that a custom check rejects', () => {
  it('lieux-covoiturage exemple-valide writes `true` as its opening hours (not OSM syntax)', async () => {
    // The authors' own "valid" row fails validata's opening-hours-value too: the file predates the check.
    const report = await validate('lieux-covoiturage/schema.json', 'lieux-covoiturage/exemple-valide.csv');
    expect(summary(report)).toEqual([[1, 'horaires', 'custom-check-error', 'opening-hours-value']]);
  });
});

describe('invalid examples fail with the errors they were written to show', () => {
  // Every error listed, in report order: each is a value the authors changed from exemple_valide.csv.
  it('dae exemple_invalide: wrong case in an enum, bad booleans, phones, dates, coordinates, photo links', async () => {
    const errors = summary(await validate('dae/schema.json', 'dae/exemple_invalide.csv'));
    const phones = (row: number) => [
      [row, 'tel1', 'constraint-error', 'pattern'], // +3310203040506: one digit too many
      [row, 'tel2', 'constraint-error', 'pattern'],
    ];
    const operatorPhones = (row: number) => [
      [row, 'expt_tel1', 'constraint-error', 'pattern'],
      [row, 'expt_tel2', 'constraint-error', 'pattern'],
    ];
    expect(errors).toEqual([
      [1, 'acc', 'constraint-error', 'enum'], // intérieur (the enum says Intérieur)
      [1, 'acc_acc', 'type-error', null], // true (the schema's booleans are oui/non)
      [1, 'photo2', 'constraint-error', 'pattern'], // htp://…
      [1, 'disp_j', 'constraint-error', 'pattern'], // "mardi, mercredi, …" instead of mardi|mercredi
      [1, 'disp_h', 'constraint-error', 'pattern'], // test
      ...phones(1),
      [1, 'dtpr_bat', 'type-error', null], // 2019-13-30
      ...operatorPhones(1),
      [2, 'lat_coor1', 'constraint-error', 'maximum'], // 148.8521329
      [2, 'com_cp', 'constraint-error', 'pattern'], // 753500
      [2, 'acc', 'constraint-error', 'enum'],
      [2, 'photo1', 'constraint-error', 'pattern'], // no http://
      [2, 'disp_j', 'constraint-error', 'pattern'], // vendredidimanche
      [2, 'disp_h', 'constraint-error', 'pattern'], // heure ouvrable (singular)
      ...phones(2), // 010203040506
      [2, 'site_email', 'type-error', null], // p.nom@@domaine.fr
      ...operatorPhones(2),
      [3, 'acc', 'constraint-error', 'enum'],
      [3, 'acc_lib', 'type-error', null], // ouie
      [3, 'photo1', 'constraint-error', 'pattern'], // .txt
      ...phones(3),
      [3, 'site_email', 'type-error', null],
      ...operatorPhones(3),
      [4, 'acc', 'constraint-error', 'enum'],
      [4, 'photo1', 'constraint-error', 'pattern'], // .bmp
      [4, 'disp_h', 'constraint-error', 'pattern'], // mercredi (a day in the hours column)
      ...phones(4),
      [4, 'dtpr_bat', 'type-error', null], // 2019-13-30
      ...operatorPhones(4),
    ]);
  });

  it('dae exemple_invalide_complet: a required value missing and every other value out of shape', async () => {
    const errors = summary(await validate('dae/schema.json', 'dae/exemple_invalide_complet.csv'));
    // acc_etg "ouie" is no error: the schema types it as free text. freq_mnt is free text too.
    expect(errors).toEqual([
      [1, 'nom', 'constraint-error', 'required'],
      [1, 'lat_coor1', 'constraint-error', 'maximum'], // 148.8521329
      [1, 'long_coor1', 'constraint-error', 'maximum'], // 292.3068453
      [1, 'com_cp', 'constraint-error', 'pattern'], // 753500
      [1, 'com_insee', 'constraint-error', 'pattern'], // 750560
      [1, 'acc', 'constraint-error', 'enum'], // intérieur
      [1, 'acc_lib', 'type-error', null], // ouie
      [1, 'acc_pcsec', 'type-error', null], // ouie
      [1, 'acc_acc', 'type-error', null], // ouie
      [1, 'photo1', 'constraint-error', 'pattern'], // no http://
      [1, 'photo2', 'constraint-error', 'pattern'], // .jpg.txt
      [1, 'disp_j', 'constraint-error', 'pattern'], // lundi,mardi
      [1, 'disp_h', 'constraint-error', 'pattern'], // 24h24
      [1, 'tel1', 'constraint-error', 'pattern'],
      [1, 'tel2', 'constraint-error', 'pattern'],
      [1, 'site_email', 'type-error', null], // p.nom@@domaine.fr
      [1, 'etat_fonct', 'constraint-error', 'enum'], // Enn fonctionnement
      [1, 'dtpr_lcped', 'type-error', null], // 2019-09-300
      [1, 'dtpr_lcad', 'type-error', null],
      [1, 'dtpr_bat', 'type-error', null],
      [1, 'expt_tel1', 'constraint-error', 'pattern'],
      [1, 'expt_tel2', 'constraint-error', 'pattern'],
      [1, 'expt_email', 'type-error', null], // p.nom@@exemple.com
    ]);
  });

  it('dae exemple_invalide_structure: renamed columns are extra and missing labels', async () => {
    const errors = summary(await validate('dae/schema.json', 'dae/exemple_invalide_structure.csv'));
    expect(errors).toEqual([
      [null, 'lat_coor12', 'extra-label', null],
      [null, 'adr_cp', 'extra-label', null],
      [null, 'expt_insee', 'extra-label', null],
      [null, 'lat_coor1', 'missing-label', null],
      [null, 'com_cp', 'missing-label', null],
      [null, 'expt_tel2', 'missing-label', null],
    ]);
  });

  it('lieux-covoiturage exemple-invalide: a day-first date and booleans as opening hours', async () => {
    // The file also swaps Xlong/Ylat (both still in range, so not an error). Both SIRENs
    // (217602176, 576578587) have a valid Luhn key, so french-siren-value passes them.
    const errors = summary(
      await validate('lieux-covoiturage/schema.json', 'lieux-covoiturage/exemple-invalide.csv'),
    );
    expect(errors).toEqual([
      [1, 'horaires', 'custom-check-error', 'opening-hours-value'],
      [2, 'date_maj', 'type-error', null],
      [2, 'horaires', 'custom-check-error', 'opening-hours-value'],
    ]);
  });

  it('stationnement exemple-invalide: id pattern, a value outside the enum, a SIRET with a wrong key', async () => {
    // 80295478500028 is also the schema's own `example` for num_siret: it fails the Luhn key.
    const errors = summary(await validate('stationnement/schema.json', 'stationnement/exemple-invalide.csv'));
    expect(errors).toEqual([
      [1, 'id', 'constraint-error', 'pattern'],
      [1, 'num_siret', 'custom-check-error', 'french-siret-value'],
      [1, 'tarif_pmr', 'constraint-error', 'enum'],
    ]);
  });
});

describe('Datami field lists', () => {
  it.each([
    'datami-bfc-ternum/bfc-ternum-schema.json',
    'datami-ping-tiers-lieux/Ping-tiers-lieux-schema.json',
    'datami-rhinocc-inclusion/rhinocc-inclusion-schema.json',
    'datami-doubs-inclusion/doubs-inclusion-lieux-schema.json',
  ])('%s becomes a Table Schema that compiles', (path) => {
    const { schema, notes } = toTableSchema(JSON.parse(read(path).toString('utf8')));
    expect(schema.fields.length).toBeGreaterThan(5);
    expect(schema.fields.every((f) => typeof f.type === 'string')).toBe(true);
    expect(() => compileSchema(schema)).not.toThrow();
    for (const note of notes) expect(schema.fields.map((f) => f.name)).toContain(note.field);
  });

  it('fields without a type become strings and the change is noted', () => {
    const json = JSON.parse(read('datami-ping-tiers-lieux/Ping-tiers-lieux-schema.json').toString('utf8'));
    const { schema, notes } = toTableSchema(json);
    expect(schema.fields.find((f) => f.name === 'DEPARTEMENT')?.type).toBe('string');
    expect(notes).toContainEqual({ field: 'DEPARTEMENT', change: 'type-defaulted-to-string' });
  });
});

// Every example in ../shared/data, found by name, so a newly added one is checked too.
// DATAPATCH_SHARED_DATA points elsewhere when the checkout is not beside shared/ (a git worktree).
const shared =
  process.env.DATAPATCH_SHARED_DATA ?? new URL('../../../../shared/data/', import.meta.url).pathname;

function examples(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return examples(path);
    return /^exemple[-_](in)?valide.*\.csv$/.test(name) ? [path] : [];
  });
}

function schemaBeside(csvPath: string): string | undefined {
  const dir = dirname(csvPath);
  const schemas = readdirSync(dir).filter((name) => name.endsWith('.json') && name.includes('schema'));
  const suffix = csvPath.match(/-(\w+)\.csv$/)?.[1];
  return join(
    dir,
    schemas.length === 1 ? schemas[0]! : (schemas.find((s) => suffix && s.includes(suffix)) ?? ''),
  );
}

// Skipped in a fresh clone: ../shared/data sits beside the project, not in it. The committed
// fixtures tested above (copies of some of its files) run in any clone; this sweeps them all.
describe.skipIf(!existsSync(shared))('every example in ../shared/data', () => {
  const found = existsSync(shared) ? examples(shared) : [];
  it('finds the examples', () => {
    expect(found.length).toBeGreaterThanOrEqual(12);
  });
  it.each(found.map((path) => [relative(shared, path), path]))('%s', async (_, path) => {
    const schemaPath = schemaBeside(path)!;
    const { schema } = toTableSchema(JSON.parse(readFileSync(schemaPath, 'utf8')));
    const imported = await importFile(new Uint8Array(readFileSync(path)), { filename: path });
    if (!imported.ok) throw new Error(imported.error.code);
    const report = compileSchema(schema, { customChecks: serverCustomChecks }).validateTable(
      imported.table.rows,
      { labels: imported.table.fields },
    );
    // lieux-covoiturage's valid example writes `true` as opening hours (see above).
    const knownWrong = /lieux-covoiturage\/exemple-valide\.csv$/.test(path);
    expect(report.valid).toBe(!/invalide/.test(path) && !knownWrong);
  });
});
if (!existsSync(shared))
  console.log(`[schema examples] ${shared} is absent: only the committed fixtures are checked`);

describe('field examples written in the schemas', () => {
  it('every field `example` is valid for its field, except the ones the authors wrote differently', () => {
    const failures: string[] = [];
    for (const dir of readdirSync(fixtures)
      .sort()
      .filter((d) => !d.endsWith('.md'))) {
      for (const file of readdirSync(new URL(`${dir}/`, fixtures)).filter((f) => f.endsWith('.json'))) {
        const { schema } = toTableSchema(JSON.parse(read(`${dir}/${file}`).toString('utf8')));
        for (const field of schema.fields) {
          if (field.example === undefined) continue;
          const example = field.example;
          const value = typeof example === 'object' && example !== null ? JSON.stringify(example) : example;
          const validator = compileSchema({ fields: [field], missingValues: schema.missingValues });
          if (validator.validateRow({ [field.name]: value as string }).length > 0)
            failures.push(`${dir}:${field.name}`);
        }
      }
    }
    // acceslibre puts the list of allowed values in `example` (an array), not one value;
    // DAE gives an empty example for two required fields.
    const listedValues = [
      'cheminement_ext_sens_marches',
      'cheminement_ext_rampe',
      'cheminement_ext_pente_degre_difficulte',
      'cheminement_ext_pente_longueur',
      'cheminement_ext_devers',
      'entree_marches_rampe',
      'entree_marches_sens',
      'entree_porte_manoeuvre',
      'entree_porte_type',
      'accueil_personnels',
      'accueil_cheminement_rampe',
      'accueil_cheminement_sens_marches',
      'accueil_classes_accessibilite',
    ].map((name) => `acceslibre:${name}`);
    expect(failures).toEqual([...listedValues, 'dae:expt_siren', 'dae:expt_rais']);
  });
});
