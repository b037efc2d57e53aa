/**
 * When this device last heard from the server about a dataset, kept in localStorage so that the
 * status line says it before the dataset's session is even loaded.
 */

export function lastSyncKey(id: string): string {
  return `datapatch:lastSync:${id}`;
}

export function readLastSync(id: string): number | null {
  try {
    const value = Number(localStorage.getItem(lastSyncKey(id)));
    return Number.isFinite(value) && value > 0 ? value : null;
  } catch {
    return null;
  }
}
