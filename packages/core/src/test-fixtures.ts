/**
 * Small datasets for tests, made up for the purpose (no licence needed).
 * Invariant: tests get fresh documents, never shared ones.
 */
import * as Y from 'yjs';
import { createDataset } from './dataset.ts';
import type { Actor, CellValue, TableSchema } from './types.ts';

export const alice: Actor = { id: 'alice', name: 'Alice', hub: 'hub-a' };
export const bob: Actor = { id: 'bob', name: 'Bob', hub: 'hub-b' };
export const moderator: Actor = { id: 'mod', name: 'Modératrice', hub: 'hub-a' };

export const placesSchema: TableSchema = {
  fields: [
    { name: 'nom', type: 'string' },
    { name: 'commune', type: 'string' },
    { name: 'cp', type: 'string' },
    { name: 'lat', type: 'number' },
    { name: 'ouvert', type: 'boolean' },
  ],
  primaryKey: 'nom',
  missingValues: [''],
};

export const placesRows: Record<string, CellValue>[] = [
  { nom: 'Mairie', commune: 'Lille', cp: '59000', lat: 50.63, ouvert: true },
  { nom: 'Médiathèque', commune: 'Roubaix', cp: '59100', lat: 50.69, ouvert: false },
  { nom: 'Piscine', commune: 'Tourcoing', cp: '59200', lat: 50.72, ouvert: true },
];

export function placesDataset(rows = placesRows): { doc: Y.Doc; rowIds: string[] } {
  const doc = new Y.Doc();
  const { rowIds } = createDataset(
    doc,
    {
      meta: { datasetId: 'lieux', title: 'Lieux publics', licence: 'etalab-2.0', hub: 'hub-a' },
      schema: placesSchema,
      rows,
    },
    alice,
  );
  return { doc, rowIds };
}

/** Copies `from`'s state into a new document, like a peer loading it from the server. */
export function loadCopy(from: Y.Doc): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(from));
  return doc;
}
