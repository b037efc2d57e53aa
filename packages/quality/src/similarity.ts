/**
 * String and token similarities in [0, 1], 1 meaning equal. Symmetric; the empty string is
 * similar to nothing (0), so a missing value never counts as a match.
 */

export function jaroWinkler(a: string, b: string): number {
  if (a === b) return a.length === 0 ? 0 : 1;
  if (a.length === 0 || b.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Uint8Array(a.length);
  const bMatched = new Uint8Array(b.length);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const from = Math.max(0, i - window);
    const to = Math.min(b.length - 1, i + window);
    for (let j = from; j <= to; j++) {
      if (bMatched[j] || a.charCodeAt(i) !== b.charCodeAt(j)) continue;
      aMatched[i] = 1;
      bMatched[j] = 1;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < a.length; i++) {
    if (!aMatched[i]) continue;
    while (!bMatched[k]) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions++;
    k++;
  }
  const m = matches;
  const jaro = (m / a.length + m / b.length + (m - transpositions / 2) / m) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/** Character trigrams of a word padded with spaces ("rue" → " ru", "rue", "ue "). */
export function trigrams(text: string): string[] {
  const padded = ` ${text} `;
  const out: string[] = [];
  for (let i = 0; i + 3 <= padded.length; i++) out.push(padded.slice(i, i + 3));
  return out;
}

/** Dice coefficient on character trigrams. */
export function trigramDice(a: string, b: string): number {
  if (a.length === 0 || b.length === 0) return 0;
  if (a === b) return 1;
  const counts = new Map<string, number>();
  const ta = trigrams(a);
  for (const t of ta) counts.set(t, (counts.get(t) ?? 0) + 1);
  const tb = trigrams(b);
  let shared = 0;
  for (const t of tb) {
    const n = counts.get(t) ?? 0;
    if (n > 0) {
      shared++;
      counts.set(t, n - 1);
    }
  }
  return (2 * shared) / (ta.length + tb.length);
}

/**
 * How well two word lists cover each other: each word is paired with its most similar word of the
 * other list (Jaro-Winkler, a typo still pairs; an initial pairs with its word), and the score is the mean over the shorter list's
 * words weighted by length, times a small penalty for the longer list's unpaired words. Word order
 * does not matter ("Mairie de Guise" ~ "Guise mairie").
 */
export function tokenSimilarity(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  let total = 0;
  let weight = 0;
  const used = new Uint8Array(long.length);
  for (const word of short) {
    let best = 0;
    let bestAt = -1;
    for (let j = 0; j < long.length; j++) {
      const other = long[j]!;
      // An initial stands for its word ("P. Bayle", "Pierre Bayle").
      const initial = (word.length === 1 || other.length === 1) && word[0] === other[0];
      const sim = word === other ? 1 : initial ? 0.9 : jaroWinkler(word, other);
      if (sim > best || (sim === best && !used[j])) {
        best = sim;
        bestAt = j;
      }
    }
    if (bestAt >= 0 && best >= 0.88) used[bestAt] = 1;
    const w = Math.max(2, word.length);
    // A word that pairs with nothing close counts for nothing, not for its weak Jaro-Winkler.
    total += (best >= 0.88 ? best : 0) * w;
    weight += w;
  }
  const cover = total / weight;
  let unpaired = 0;
  for (let j = 0; j < long.length; j++) if (!used[j]) unpaired++;
  return cover * (1 - 0.25 * (unpaired / long.length));
}
