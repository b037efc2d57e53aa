/**
 * The demo dataset created on an empty data folder: Paris public toilets (demo/README.md says
 * where they come from). Invariant: written as one update in the store and one registry entry,
 * through @datapatch/core like any other dataset, so the app reads it like a real one.
 */
import { readFile } from 'node:fs/promises';
import { type CellValue, createDataset, type TableSchema } from '@datapatch/core';
import { importFile } from '@datapatch/io';
import { roomName } from '@datapatch/protocol';
import * as Y from 'yjs';
import type { DatasetRegistry } from '../store/dataset-registry.ts';
import type { UpdateStore } from '../store/update-store.ts';
import { summarizeDataset } from './dataset-summaries.ts';

export const DEMO_DATASET_ID = 'sanisettes-paris';

const demoFolder = new URL('../../demo/', import.meta.url);
const CSV_FILE = 'sanisettes-paris-1-12.csv';

export class DemoDatasetError extends Error {
  readonly code = 'demo-dataset-unreadable';
}

/** Empty cells become null and `number` fields numbers, as the schema says. */
function typedRow(row: Record<string, CellValue>, schema: TableSchema): Record<string, CellValue> {
  const out: Record<string, CellValue> = {};
  for (const field of schema.fields) {
    const value = row[field.name] ?? null;
    if (value === '' || value === null) out[field.name] = null;
    else if ((field.type === 'number' || field.type === 'integer') && typeof value === 'string') {
      const number = Number(value);
      out[field.name] = Number.isFinite(number) ? number : value;
    } else out[field.name] = value;
  }
  return out;
}

export async function buildDemoDocument(): Promise<Y.Doc> {
  const schema = JSON.parse(await readFile(new URL('schema.json', demoFolder), 'utf8')) as TableSchema & {
    title: string;
    description: string;
  };
  const bytes = new Uint8Array(await readFile(new URL(CSV_FILE, demoFolder)));
  const imported = await importFile(bytes, { filename: CSV_FILE });
  if (!imported.ok) throw new DemoDatasetError(`demo CSV refused: ${JSON.stringify(imported)}`);
  const doc = new Y.Doc();
  createDataset(
    doc,
    {
      meta: {
        datasetId: DEMO_DATASET_ID,
        title: schema.title,
        description: schema.description,
        licence: 'ODbL-1.0',
        source: 'Ville de Paris, « Sanisettes » (opendata.paris.fr), 1er–12e arrondissements',
      },
      schema,
      rows: imported.table.rows.map((row) => typedRow(row, schema)),
    },
    { id: 'datapatch-server', name: 'Data Patch' },
  );
  return doc;
}

export async function seedDemoDataset(stores: {
  updates: UpdateStore;
  registry: DatasetRegistry;
}): Promise<void> {
  const doc = await buildDemoDocument();
  await stores.updates.appendUpdates([
    { room: roomName(DEMO_DATASET_ID, 'validated'), update: Y.encodeStateAsUpdate(doc) },
  ]);
  const summary = summarizeDataset(doc);
  if (summary) await stores.registry.upsert(summary);
  doc.destroy();
}
