/**
 * Checks a well-formed proposal against its dataset: every field must exist in the schema,
 * every proposed field must be open to anonymous proposals, and every proposed value must pass
 * the schema's rules for that field. Fields the contributor did not touch are not judged: a
 * change names only the cells it changes, and a moderator completes a new record if needed.
 */
import { ProposalErrorCode } from '@datapatch/protocol';
import { fail, type Issue, type Result } from '../access/result.ts';
import type { CellValue, ProposalBody } from './body.ts';

/** What intake needs from @datapatch/schema's `compileSchema(schema)`; its SchemaValidator fits. */
export interface RowValidator {
  readonly fieldNames: readonly string[];
  readonly schema: { readonly fields: readonly { name: string; constraints?: { required?: boolean } }[] };
  validateRow(row: Record<string, CellValue>): readonly {
    code: string;
    field: string | null;
    constraint?: string;
    message: { fr: string; en: string };
  }[];
}

const messages = {
  unknownField: {
    fr: "Ce champ n'existe pas dans le jeu de données.",
    en: 'This field is not in the dataset.',
  },
  closedField: {
    fr: "Ce champ n'est pas ouvert aux propositions.",
    en: 'This field is not open to proposals.',
  },
  required: { fr: 'Une valeur est obligatoire.', en: 'A value is required.' },
  blank: { fr: 'Le nouvel enregistrement est vide.', en: 'The new record is empty.' },
} as const;

export function checkAgainstDataset(
  body: ProposalBody,
  proposableFields: readonly string[],
  validator: RowValidator,
): Result<Record<never, never>, typeof ProposalErrorCode.invalid | typeof ProposalErrorCode.fieldClosed> {
  const known = new Set(validator.fieldNames);
  const open = new Set(proposableFields);
  const unknown: Issue[] = [];
  for (const [path, values] of [
    ['base', body.base],
    ['proposed', body.proposed],
  ] as const) {
    for (const field of Object.keys(values)) {
      if (!known.has(field))
        unknown.push({ path: `${path}.${field}`, code: 'unknown-field', message: messages.unknownField });
    }
  }
  if (unknown.length > 0) return fail(ProposalErrorCode.invalid, { issues: unknown });

  const closed = Object.keys(body.proposed)
    // A closed field sent unchanged is a confirmation ("c'est toujours exact"), not a change.
    .filter((field) => !open.has(field) && body.proposed[field] !== body.base[field])
    .map(
      (field): Issue => ({ path: `proposed.${field}`, code: 'field-closed', message: messages.closedField }),
    );
  if (closed.length > 0) return fail(ProposalErrorCode.fieldClosed, { issues: closed });

  const proposedFields = new Set(Object.keys(body.proposed));
  if (proposedFields.size === 0) return { ok: true };
  const issues: Issue[] = [];
  for (const error of validator.validateRow(body.proposed)) {
    if (error.code === 'missing-cell') continue;
    if (error.code === 'blank-row') {
      if (body.kind === 'create')
        issues.push({ path: 'proposed', code: 'blank-row', message: messages.blank });
      continue;
    }
    if (error.field !== null && proposedFields.has(error.field)) {
      issues.push({
        path: `proposed.${error.field}`,
        code: error.constraint ?? error.code,
        message: error.message,
      });
    }
  }
  const allEmpty = Object.values(body.proposed).every((value) => value === null || value === '');
  if (body.kind === 'create' && allEmpty && !issues.some((issue) => issue.code === 'blank-row')) {
    issues.push({ path: 'proposed', code: 'blank-row', message: messages.blank });
  }
  // A row whose given cells are all empty is reported as blank, which hides "required": check it here.
  for (const field of validator.schema.fields) {
    const value = body.proposed[field.name];
    const empty = value === null || value === '';
    const reported = issues.some((issue) => issue.path === `proposed.${field.name}`);
    if (proposedFields.has(field.name) && empty && field.constraints?.required === true && !reported) {
      issues.push({ path: `proposed.${field.name}`, code: 'required', message: messages.required });
    }
  }
  return issues.length > 0 ? fail(ProposalErrorCode.invalid, { issues }) : { ok: true };
}
