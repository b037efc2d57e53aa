/**
 * Writing a changed schema into a dataset's validated document, in one transaction. The layout
 * is the one packages/core/README.md documents: the `fields` array holds the field descriptors,
 * `meta.schema` the rest of the Table Schema. Invariant: rows are not touched; a schema with no
 * field is refused (returns false) and writes nothing.
 */
import type { Actor, Field, TableSchema } from '@datapatch/core';
import type * as Y from 'yjs';

export function writeSchema(doc: Y.Doc, schema: TableSchema, actor: Actor): boolean {
  if (schema.fields.length === 0) return false;
  const { fields, ...extras } = schema;
  const array = doc.getArray<Field>('fields');
  const meta = doc.getMap<unknown>('meta');
  doc.transact(() => {
    array.delete(0, array.length);
    array.push(fields.map((f) => structuredClone(f)));
    meta.set('schema', structuredClone(extras));
    // Who last changed the schema is shown like who last changed the description.
    meta.set('updatedBy', actor);
    meta.set('updatedAt', new Date().toISOString());
  });
  return true;
}
