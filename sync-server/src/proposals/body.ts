/**
 * Reading an anonymous proposal's JSON body: size first (before parsing), then shape. The
 * result is a normalised `ProposalBody` holding only known keys, cell values that core can
 * store (string, finite number, boolean, null) and bounded strings. Schema checks come later.
 */
import {
  HONEYPOT_FIELD,
  type ProposalBody,
  ProposalErrorCode,
  type ProposalKind,
  type WireCellValue,
} from '@datapatch/protocol';
import { fail, type Issue, type Result } from '../access/result.ts';

export { HONEYPOT_FIELD, type ProposalBody, type ProposalKind };
export type CellValue = WireCellValue;

export interface BodyCaps {
  maxBodyBytes: number;
  maxFields: number;
  maxValueLength: number;
  maxCommentLength: number;
  maxContactLength: number;
}

export const DEFAULT_BODY_CAPS: BodyCaps = {
  maxBodyBytes: 32 * 1024,
  maxFields: 200,
  maxValueLength: 10_000,
  maxCommentLength: 2_000,
  maxContactLength: 320,
};

const KNOWN_KEYS = new Set([
  'kind',
  'rowId',
  'base',
  'proposed',
  'comment',
  'contact',
  'idempotencyKey',
  HONEYPOT_FIELD,
]);
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{16,128}$/;
const ROW_ID_MAX = 200;

const text = {
  notJson: { fr: "Le contenu n'est pas du JSON valide.", en: 'The body is not valid JSON.' },
  notObject: { fr: 'Un objet JSON est attendu.', en: 'A JSON object is expected.' },
  unknownKey: { fr: 'Clé inconnue.', en: 'Unknown key.' },
  kind: { fr: 'Type attendu : create, change ou delete.', en: 'Kind must be create, change or delete.' },
  rowId: {
    fr: 'Identifiant de ligne obligatoire (200 caractères au plus).',
    en: 'A row id is required (at most 200 characters).',
  },
  values: {
    fr: 'Un objet de valeurs (texte, nombre, vrai/faux ou vide) est attendu.',
    en: 'An object of values (text, number, true/false or empty) is expected.',
  },
  value: {
    fr: 'Valeur invalide : texte, nombre, vrai/faux ou vide.',
    en: 'Invalid value: text, number, true/false or empty.',
  },
  tooLong: { fr: 'Texte trop long.', en: 'Text too long.' },
  tooMany: { fr: 'Trop de champs.', en: 'Too many fields.' },
  nothingProposed: { fr: 'Aucune valeur proposée.', en: 'No value proposed.' },
  deleteWithValues: {
    fr: 'Une suppression ne propose pas de valeurs.',
    en: 'A deletion proposes no values.',
  },
  idempotencyKey: {
    fr: "Clé d'envoi obligatoire : 16 à 128 lettres, chiffres, - ou _.",
    en: 'A submission key is required: 16 to 128 letters, digits, - or _.',
  },
  text: { fr: 'Texte attendu.', en: 'Text expected.' },
} as const;

function issue(path: string, code: string, message: { fr: string; en: string }): Issue {
  return { path, code, message };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readValues(
  value: unknown,
  path: string,
  caps: BodyCaps,
  issues: Issue[],
): Record<string, CellValue> | undefined {
  if (value === undefined) return {};
  if (!isPlainObject(value)) {
    issues.push(issue(path, 'not-an-object', text.values));
    return undefined;
  }
  const entries = Object.entries(value);
  if (entries.length > caps.maxFields) {
    issues.push(issue(path, 'too-many-fields', text.tooMany));
    return undefined;
  }
  // A null prototype so a field named "__proto__" is data, never the object's prototype.
  const out: Record<string, CellValue> = Object.create(null);
  for (const [field, cell] of entries) {
    const where = `${path}.${field}`;
    if (typeof cell === 'string') {
      if ([...cell].length > caps.maxValueLength) issues.push(issue(where, 'too-long', text.tooLong));
      else out[field] = cell;
    } else if (
      cell === null ||
      typeof cell === 'boolean' ||
      (typeof cell === 'number' && Number.isFinite(cell))
    ) {
      out[field] = cell;
    } else {
      issues.push(issue(where, 'invalid-value', text.value));
    }
  }
  return out;
}

function readText(value: unknown, path: string, max: number, issues: Issue[]): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    issues.push(issue(path, 'not-text', text.text));
    return undefined;
  }
  const trimmed = value.trim();
  if ([...trimmed].length > max) {
    issues.push(issue(path, 'too-long', text.tooLong));
    return undefined;
  }
  return trimmed || undefined;
}

export type BodyFailureCode =
  | typeof ProposalErrorCode.tooLarge
  | typeof ProposalErrorCode.invalid
  | typeof ProposalErrorCode.spam;

/**
 * Reads a raw body. `mode: 'amend'` is for a contributor replacing their own proposal: the
 * whole body again, without the idempotency key; kind and rowId must match the original (checked by the caller).
 */
export function readProposalBody(
  raw: string | Uint8Array,
  caps: BodyCaps = DEFAULT_BODY_CAPS,
  mode: 'submit' | 'amend' = 'submit',
): Result<{ body: ProposalBody }, BodyFailureCode> {
  const size = typeof raw === 'string' ? Buffer.byteLength(raw, 'utf8') : raw.byteLength;
  if (size > caps.maxBodyBytes) return fail(ProposalErrorCode.tooLarge);
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8'));
  } catch {
    return fail(ProposalErrorCode.invalid, { issues: [issue('', 'not-json', text.notJson)] });
  }
  if (!isPlainObject(parsed)) {
    return fail(ProposalErrorCode.invalid, { issues: [issue('', 'not-an-object', text.notObject)] });
  }
  const honeypot = parsed[HONEYPOT_FIELD];
  if (honeypot !== undefined && honeypot !== null && honeypot !== '') return fail(ProposalErrorCode.spam);

  const issues: Issue[] = [];
  for (const key of Object.keys(parsed)) {
    if (!KNOWN_KEYS.has(key)) issues.push(issue(key, 'unknown-key', text.unknownKey));
  }
  const kind = parsed.kind;
  if (kind !== 'create' && kind !== 'change' && kind !== 'delete') {
    issues.push(issue('kind', 'invalid-kind', text.kind));
  }
  const rowId = parsed.rowId;
  const rowIdValid = typeof rowId === 'string' && rowId.length > 0 && rowId.length <= ROW_ID_MAX;
  if (rowId !== undefined && !rowIdValid) issues.push(issue('rowId', 'invalid-row-id', text.rowId));
  if ((kind === 'change' || kind === 'delete') && rowId === undefined) {
    issues.push(issue('rowId', 'missing-row-id', text.rowId));
  }
  const base = readValues(parsed.base, 'base', caps, issues);
  const proposed = readValues(parsed.proposed, 'proposed', caps, issues);
  if (proposed && (kind === 'create' || kind === 'change') && Object.keys(proposed).length === 0) {
    issues.push(issue('proposed', 'nothing-proposed', text.nothingProposed));
  }
  if (proposed && kind === 'delete' && Object.keys(proposed).length > 0) {
    issues.push(issue('proposed', 'delete-with-values', text.deleteWithValues));
  }
  const comment = readText(parsed.comment, 'comment', caps.maxCommentLength, issues);
  const contact = readText(parsed.contact, 'contact', caps.maxContactLength, issues);
  const key = parsed.idempotencyKey;
  const keyValid = typeof key === 'string' && IDEMPOTENCY_KEY.test(key);
  if (mode === 'submit' && !keyValid)
    issues.push(issue('idempotencyKey', 'invalid-idempotency-key', text.idempotencyKey));

  if (issues.length > 0 || !base || !proposed) return fail(ProposalErrorCode.invalid, { issues });
  const body: ProposalBody = {
    kind: kind as ProposalKind,
    base,
    proposed,
    idempotencyKey: keyValid ? key : '',
  };
  if (rowIdValid) body.rowId = rowId;
  if (comment !== undefined) body.comment = comment;
  if (contact !== undefined) body.contact = contact;
  return { ok: true, body };
}

/** A stable text of a body, for telling "the same proposal sent again" from "another one". */
export function canonicalBody(body: ProposalBody): string {
  const sorted = (values: Record<string, CellValue>) =>
    Object.keys(values)
      .sort()
      .map((field) => [field, values[field]]);
  return JSON.stringify([
    body.kind,
    body.rowId ?? null,
    sorted(body.base),
    sorted(body.proposed),
    body.comment ?? null,
    body.contact ?? null,
  ]);
}
