/**
 * Rejection reasons a moderator reuses: a few built-in ones plus those they typed before,
 * kept on their device, most recent first. Invariant: at most MAX_SAVED reasons, no duplicates.
 */
export const MAX_SAVED = 12;

export function rememberReason(saved: readonly string[], reason: string): string[] {
  const clean = reason.trim();
  if (clean === '') return [...saved];
  return [clean, ...saved.filter((r) => r !== clean)].slice(0, MAX_SAVED);
}

const KEY = 'datapatch:rejectReasons';

export function loadReasons(storage: Pick<Storage, 'getItem'> | undefined): string[] {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(KEY) ?? '[]');
    return Array.isArray(parsed)
      ? parsed.filter((r): r is string => typeof r === 'string').slice(0, MAX_SAVED)
      : [];
  } catch {
    return [];
  }
}

export function saveReasons(storage: Pick<Storage, 'setItem'> | undefined, reasons: readonly string[]): void {
  try {
    storage?.setItem(KEY, JSON.stringify(reasons));
  } catch {
    // Private mode: reasons are kept for this visit only.
  }
}
