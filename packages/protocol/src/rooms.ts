/**
 * Room names: each dataset is two Yjs documents, each its own websocket room.
 * Invariant: a room name is `ds/<datasetId>/validated` or `ds/<datasetId>/pending`,
 * and a datasetId never contains `/` (checked by `isDatasetId`).
 */
export type DocumentKind = 'validated' | 'pending';

const DATASET_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function isDatasetId(id: string): boolean {
  return DATASET_ID.test(id);
}

export function roomName(datasetId: string, kind: DocumentKind): string {
  return `ds/${datasetId}/${kind}`;
}

export function parseRoomName(room: string): { datasetId: string; kind: DocumentKind } | null {
  const parts = room.split('/');
  if (parts.length !== 3 || parts[0] !== 'ds') return null;
  const [, datasetId, kind] = parts;
  if (datasetId === undefined || !isDatasetId(datasetId)) return null;
  if (kind !== 'validated' && kind !== 'pending') return null;
  return { datasetId, kind };
}
