import type { TableSchema } from '@datapatch/core';
import { describe, expect, it } from 'vitest';
import { draftIssues, draftsOf, enumValues, moveDraft, newDraft, schemaOf } from './schema-draft.ts';

const schema: TableSchema = {
  primaryKey: 'id',
  missingValues: ['', 'NA'],
  fields: [
    { name: 'id', type: 'integer', constraints: { required: true, unique: true } },
    { name: 'nom', type: 'string', title: 'Nom', 'x-extra': 1 },
    { name: 'type', type: 'string', constraints: { enum: ['mairie', 'poste'] } },
  ],
};

describe('editing a schema through field drafts', () => {
  it('gives back the same schema when nothing is edited', () => {
    expect(schemaOf(schema, draftsOf(schema))).toEqual(schema);
  });

  it('keeps what the form does not show (other constraints, unknown keys, schema keys)', () => {
    const drafts = draftsOf(schema);
    drafts[0]!.required = false;
    drafts[1]!.type = 'integer';
    const edited = schemaOf(schema, drafts);
    expect(edited.fields[0]).toEqual({ name: 'id', type: 'integer', constraints: { unique: true } });
    expect(edited.fields[1]).toEqual({ name: 'nom', type: 'integer', title: 'Nom', 'x-extra': 1 });
    expect(edited.missingValues).toEqual(['', 'NA']);
  });

  it('an emptied title, format or enum loses its key', () => {
    const drafts = draftsOf(schema);
    drafts[1]!.title = '  ';
    drafts[2]!.enumText = '';
    const edited = schemaOf(schema, drafts);
    expect(edited.fields[1]).not.toHaveProperty('title');
    expect(edited.fields[2]).toEqual({ name: 'type', type: 'string' });
  });

  it('enum values come one per line, trimmed and unique, as numbers for a numeric field', () => {
    const draft = { ...newDraft('n'), enumText: ' 1\n2\n\n2\n' };
    expect(enumValues(draft)).toEqual(['1', '2']);
    expect(enumValues({ ...draft, type: 'integer' })).toEqual([1, 2]);
    expect(enumValues({ ...draft, type: 'integer', enumText: '1\nun' })).toEqual(['1', 'un']);
  });

  it('a renamed field is renamed in the primary key; a removed one leaves it', () => {
    const drafts = draftsOf(schema);
    drafts[0]!.name = 'identifiant';
    expect(schemaOf(schema, drafts).primaryKey).toBe('identifiant');
    expect(schemaOf(schema, drafts.slice(1))).not.toHaveProperty('primaryKey');
  });

  it('an added field is a plain string field; moving keeps every field', () => {
    const drafts = [...draftsOf(schema), newDraft('horaires')];
    const moved = moveDraft(drafts, 3, -1);
    expect(schemaOf(schema, moved).fields.map((f) => f.name)).toEqual(['id', 'nom', 'horaires', 'type']);
    expect(schemaOf(schema, moved).fields[2]).toEqual({ name: 'horaires', type: 'string' });
    expect(moveDraft(drafts, 0, -1)).toBe(drafts);
  });

  it('refuses empty and repeated names and an empty schema', () => {
    const drafts = [...draftsOf(schema), newDraft('nom'), newDraft(' ')];
    expect(draftIssues(drafts)).toEqual([
      { code: 'name-repeated', index: 3 },
      { code: 'name-empty', index: 4 },
    ]);
    expect(draftIssues([])).toEqual([{ code: 'schema-empty', index: -1 }]);
    expect(draftIssues(draftsOf(schema))).toEqual([]);
  });
});
