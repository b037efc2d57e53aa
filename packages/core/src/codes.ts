/**
 * Result and error codes of @datapatch/core: moderation results and thrown errors.
 * Invariant: a code, once published, never changes meaning; callers branch on the code,
 * never on the message. Every code has a French and an English message.
 */

/** Codes of expected failures returned as `{ ok: false, code }` by moderation. */
export const ModerationCode = {
  /** The proposal id is unknown in the pending document. */
  notFound: 'not-found',
  /** The proposal already has a decision (accepted, rejected, withdrawn) that was not undone. */
  alreadyDecided: 'already-decided',
  /** A field named by the moderator or the proposal is not in the dataset's schema or the proposal. */
  unknownField: 'unknown-field',
  /** The row the proposal changes or deletes does not exist (or is deleted). */
  rowMissing: 'row-missing',
  /** The current value differs from the value the contributor saw (or from the value an undo would revert). */
  conflict: 'conflict',
  /** Undo asked for a proposal that has no decision, or whose decision was already undone. */
  notDecided: 'not-decided',
} as const;
export type ModerationCode = (typeof ModerationCode)[keyof typeof ModerationCode];

/** Codes of unexpected failures thrown (as `DataPatchError`) by the domain packages. */
export const ThrownCode = {
  /** A cell value is not a string, a finite number, a boolean or null. */
  invalidValue: 'invalid-value',
  /** A write names a row that is not in the dataset. */
  unknownRow: 'unknown-row',
  /** A row or field name cannot be stored (empty, or holds the reserved separator U+001F). */
  invalidName: 'invalid-name',
  /** A document does not have the shape the layout describes (corrupt or foreign data). */
  invalidDocument: 'invalid-document',
  /** A dataset is created twice in the same document. */
  alreadyCreated: 'already-created',
  /** foldIn was called inside an open transaction, where it would read stale rows. */
  inTransaction: 'in-transaction',
} as const;
export type ThrownCode = (typeof ThrownCode)[keyof typeof ThrownCode];

export type ErrorCode = ModerationCode | ThrownCode;

export const errorMessages: Record<ErrorCode, { fr: string; en: string }> = {
  'not-found': { fr: 'Proposition introuvable.', en: 'Proposal not found.' },
  'already-decided': {
    fr: 'Cette proposition a déjà été traitée.',
    en: 'This proposal has already been decided.',
  },
  'unknown-field': {
    fr: 'Champ inconnu dans le schéma ou la proposition.',
    en: 'Unknown field in the schema or the proposal.',
  },
  'row-missing': {
    fr: "L'enregistrement visé n'existe pas ou a été supprimé.",
    en: 'The target record does not exist or was deleted.',
  },
  conflict: {
    fr: 'La valeur actuelle a changé depuis que le contributeur l’a vue.',
    en: 'The current value changed since the contributor saw it.',
  },
  'not-decided': {
    fr: "Cette proposition n'a pas de décision à annuler.",
    en: 'This proposal has no decision to undo.',
  },
  'invalid-value': {
    fr: 'Valeur de cellule invalide (texte, nombre fini, booléen ou vide).',
    en: 'Invalid cell value (text, finite number, boolean or empty).',
  },
  'unknown-row': { fr: 'Enregistrement inconnu.', en: 'Unknown record.' },
  'invalid-name': {
    fr: 'Nom de ligne ou de champ invalide.',
    en: 'Invalid row or field name.',
  },
  'invalid-document': {
    fr: 'Le document ne respecte pas le format attendu.',
    en: 'The document does not follow the expected layout.',
  },
  'in-transaction': {
    fr: 'Compactage impossible pendant une transaction en cours.',
    en: 'Cannot fold in during an open transaction.',
  },
  'already-created': {
    fr: 'Ce jeu de données existe déjà dans ce document.',
    en: 'This dataset already exists in this document.',
  },
};

/** Thrown for unexpected failures; carries a stable `code`. */
export class DataPatchError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message?: string) {
    super(message ?? errorMessages[code].en);
    this.name = 'DataPatchError';
    this.code = code;
  }
}
