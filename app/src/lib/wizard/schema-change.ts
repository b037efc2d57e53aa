/**
 * Writing a changed schema into a dataset's validated document, in one transaction. The layout
 * is the one packages/core/README.md documents: the `fields` array holds the field descriptors,
 * `meta.schema` the rest of the Table Schema. Invariants: rows are not touched; only the field
 * entries that differ are replaced (so two owners changing two fields at once both keep their
 * change); a schema with no field is refused (returns false) and writes nothing.
 */
import type { Actor, Field, TableSchema } from '@datapatch/core';
import type * as Y from 'yjs';

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function writeSchema(doc: Y.Doc, schema: TableSchema, actor: Actor): boolean {
  if (schema.fields.length === 0) return false;
  const { fields, ...extras } = schema;
  const array = doc.getArray<Field>('fields');
  const meta = doc.getMap<unknown>('meta');
  doc.transact(() => {
    const current = array.toArray();
    if (current.length > fields.length) array.delete(fields.length, current.length - fields.length);
    fields.forEach((field, index) => {
      const before = current[index];
      if (before !== undefined && same(before, field)) return;
      if (before !== undefined) array.delete(index, 1);
      array.insert(index, [structuredClone(field)]);
    });
    if (!same(meta.get('schema'), extras)) meta.set('schema', structuredClone(extras));
    // Who last changed the schema is shown like who last changed the description.
    meta.set('updatedBy', actor);
    meta.set('updatedAt', new Date().toISOString());
  });
  return true;
}
