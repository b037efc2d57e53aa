/**
 * The field that names a record (shown as a card's heading and the record page's title):
 * a field called like a name, else the first text field that is not the primary key.
 * Always one of the given fields, or undefined when there are none.
 */
import { foldText } from '../search/fold.ts';

type NamedField = { name: string; type?: string; title?: string };

const NAME_LIKE = /^(nom|name|titre|title|libelle|label|raison sociale|denomination|intitule)\b/;

export function titleField(
  fields: readonly NamedField[],
  primaryKey?: string | string[],
): string | undefined {
  const keys = new Set(typeof primaryKey === 'string' ? [primaryKey] : (primaryKey ?? []));
  const named = fields.find(
    (f) => NAME_LIKE.test(foldText(f.name)) || NAME_LIKE.test(foldText(f.title ?? '')),
  );
  if (named !== undefined) return named.name;
  const text = fields.find((f) => (f.type === undefined || f.type === 'string') && !keys.has(f.name));
  return (text ?? fields[0])?.name;
}
