/**
 * The field that names a record (shown as a card's heading, the record page's title and the
 * table's first column): a field called like a name; else the first text field (not the
 * primary key) whose values mostly differ from row to row, as names and addresses do; else
 * the first text field. Always one of the given fields, or undefined when there are none.
 */
import { foldText } from '../search/fold.ts';

type NamedField = { name: string; type?: string; title?: string };

const NAME_LIKE = /^(nom|name|titre|title|libelle|label|raison sociale|denomination|intitule|enseigne)\b/;
/** Share of distinct values above which a text field looks like it names its rows. */
const DISTINCT_ENOUGH = 0.5;

function distinctShare(field: string, sample: readonly Record<string, unknown>[]): number {
  const seen = new Set<unknown>();
  let filled = 0;
  for (const row of sample) {
    const value = row[field];
    if (value === null || value === undefined || value === '') continue;
    filled++;
    seen.add(value);
  }
  return sample.length === 0 ? 0 : (seen.size / sample.length) * (filled / sample.length);
}

export function titleField(
  fields: readonly NamedField[],
  primaryKey?: string | string[],
  sample: readonly Record<string, unknown>[] = [],
): string | undefined {
  const keys = new Set(typeof primaryKey === 'string' ? [primaryKey] : (primaryKey ?? []));
  const named = fields.find(
    (f) => NAME_LIKE.test(foldText(f.name)) || NAME_LIKE.test(foldText(f.title ?? '')),
  );
  if (named !== undefined) return named.name;
  const texts = fields.filter((f) => (f.type === undefined || f.type === 'string') && !keys.has(f.name));
  const distinct = texts.find((f) => distinctShare(f.name, sample) >= DISTINCT_ENOUGH);
  return (distinct ?? texts[0] ?? fields[0])?.name;
}
