/**
 * Where a dataset's upstream lives: a server-only Yjs room `upstream/<datasetId>` holding the
 * source's settings (URL, key columns) and the bytes of the last release taken, so they are as
 * durable as the dataset (same update log, every backend). Invariant: the name is not a
 * `ds/…/validated|pending` room, so the relay refuses every client that asks for it.
 */
import type * as Y from 'yjs';

export function upstreamRoom(datasetId: string): string {
  return `upstream/${datasetId}`;
}

export type UpstreamSource = { url: string | null; key: string[] };
export type TakenRelease = { filename: string; takenAt: string; rows: number; bytes: Uint8Array };

const sourceMap = (doc: Y.Doc) => doc.getMap<unknown>('source');
const releaseMap = (doc: Y.Doc) => doc.getMap<unknown>('release');

export function readSource(doc: Y.Doc): UpstreamSource | null {
  const source = sourceMap(doc);
  const key = source.get('key');
  if (!Array.isArray(key)) return null;
  const url = source.get('url');
  return { url: typeof url === 'string' ? url : null, key: key.map(String) };
}

export function writeSource(doc: Y.Doc, source: UpstreamSource): void {
  const map = sourceMap(doc);
  doc.transact(() => {
    map.set('key', [...source.key]);
    map.set('url', source.url);
  });
}

export function readTakenRelease(doc: Y.Doc): TakenRelease | null {
  const release = releaseMap(doc);
  const bytes = release.get('bytes');
  if (!(bytes instanceof Uint8Array)) return null;
  return {
    filename: String(release.get('filename') ?? ''),
    takenAt: String(release.get('takenAt') ?? ''),
    rows: Number(release.get('rows') ?? 0),
    bytes,
  };
}

/** Replaces the last release taken (after a real run, or when an owner names the starting point). */
export function keepRelease(doc: Y.Doc, release: TakenRelease): void {
  const map = releaseMap(doc);
  doc.transact(() => {
    map.set('filename', release.filename);
    map.set('takenAt', release.takenAt);
    map.set('rows', release.rows);
    map.set('bytes', release.bytes);
  });
}
