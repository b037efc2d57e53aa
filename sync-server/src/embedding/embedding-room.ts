/**
 * Where a dataset's "sites allowed to embed" live: a server-only Yjs room `embedding/<datasetId>`
 * (same update log and backends as the dataset, no SQL column). Invariants: the name is not a
 * `ds/…/validated|pending` room, so the relay refuses every client that asks for it; a missing or
 * empty list means any site may embed.
 */
import type * as Y from 'yjs';

export function embeddingRoom(datasetId: string): string {
  return `embedding/${datasetId}`;
}

const settings = (doc: Y.Doc) => doc.getMap<unknown>('embedding');

export function readEmbedOrigins(doc: Y.Doc): string[] {
  const origins = settings(doc).get('origins');
  return Array.isArray(origins) ? origins.filter((o): o is string => typeof o === 'string') : [];
}

export function writeEmbedOrigins(doc: Y.Doc, origins: readonly string[]): void {
  settings(doc).set('origins', [...origins]);
}
