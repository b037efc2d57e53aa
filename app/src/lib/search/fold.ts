/**
 * Folding text the way a French speaker searches: case, accents and ligatures never
 * matter ("ECOLE" finds "École", "oeuvre" finds "Œuvre"). Folding is idempotent and
 * never produces a word that spans two fields (fields are joined by a line break).
 */

const LIGATURES: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss', ĳ: 'ij', ﬁ: 'fi', ﬂ: 'fl' };
const LIGATURE_RE = /[œæßĳﬁﬂ]/g;
// Combining marks left by NFD (accents, cedilla, tilde…).
const MARKS_RE = /\p{M}+/gu;
// Anything that is not a letter or a digit separates words: apostrophes, hyphens, commas.
const SEPARATORS_RE = /[^\p{L}\p{N}\n]+/gu;

/** Lower-case, accent-free, ligature-free text with words separated by one space. */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(MARKS_RE, '')
    .toLowerCase()
    .replace(LIGATURE_RE, (c) => LIGATURES[c] ?? c)
    .replace(SEPARATORS_RE, ' ')
    .trim();
}

/** The folded words of what the user typed, without duplicates, in typing order. */
export function queryWords(query: string): string[] {
  const words = foldText(query).split(/\s+/);
  return [...new Set(words.filter((w) => w.length > 0))];
}

/** True when every word appears somewhere in the folded text (as a word or part of one). */
export function matchesAllWords(foldedText: string, words: readonly string[]): boolean {
  for (const word of words) {
    if (!foldedText.includes(word)) return false;
  }
  return true;
}

/** The searchable text of a record: every non-empty value, folded, one field per line. */
export function searchableText(values: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const value of Object.values(values)) {
    if (value === null || value === undefined || value === '') continue;
    parts.push(foldText(typeof value === 'object' ? JSON.stringify(value) : String(value)));
  }
  return parts.join('\n');
}
