/**
 * The words of the domain: datasets, rows, changes, proposals, decisions.
 * Invariant: every type here is plain JSON (no Yjs types), so it can be stored as a Yjs
 * map value or array entry, sent over HTTP, or put in a TinyBase store unchanged.
 */

/** What a cell holds. `null` is an empty cell. Numbers are finite. */
export type CellValue = string | number | boolean | null;

/** Who did something: a hub member, a moderator, the server. */
export type Actor = { id: string; name?: string; hub?: string };

/** A Table Schema field descriptor (frictionless), kept as given. */
export type Field = {
  name: string;
  type?: string;
  format?: string;
  title?: string;
  description?: string;
  constraints?: Record<string, unknown>;
  [k: string]: unknown;
};

export type TableSchema = {
  fields: Field[];
  primaryKey?: string | string[];
  missingValues?: string[];
  [k: string]: unknown;
};

export type DatasetMeta = {
  datasetId: string;
  title: string;
  description?: string;
  licence?: string;
  source?: string;
  /** The owning hub's id. */
  hub?: string;
  /** ISO 8601 date-time. */
  createdAt?: string;
};

/** A row as readers see it: its stable id and its current values by field name. */
export type Row = { id: string; values: Record<string, CellValue> };

/**
 * Changes made as one: `upstream` a new release of the official source taken in, `undo` the undo
 * of another batch (`undoes` its id).
 */
export type ChangeBatch = { id: string; origin: 'upstream' | 'undo'; undoes?: string };

export type ChangeKind = 'set' | 'create' | 'delete' | 'restore' | 'undo';

/**
 * One entry of the validated document's changelog (append-only).
 * - set: `field`, `old` → `new`.
 * - create: one row (`new` holds its values) or an import batch (`count` rows, the first is `rowId`).
 * - delete / restore: the row's tombstone was set / removed.
 * - undo: reverts the change `undoes`; `field`, `old` → `new` for a cell, none for a row.
 */
export type ChangelogEntry = {
  id: string;
  /** ISO 8601 date-time. */
  at: string;
  by: Actor;
  proposalId?: string;
  /** Entries written together by one operation: the history shows and undoes them as one. */
  batch?: ChangeBatch;
  kind: ChangeKind;
  rowId: string;
  field?: string;
  old?: CellValue | Record<string, CellValue>;
  new?: CellValue | Record<string, CellValue>;
  count?: number;
  undoes?: string;
};

export type ProposalKind = 'create' | 'change' | 'delete';

/** A contributor's proposal, as the server wrote it into the pending document. */
export type Proposal = {
  id: string;
  datasetId: string;
  kind: ProposalKind;
  /** The row to change or delete; for `create`, an optional id wished by the contributor. */
  rowId?: string;
  /** The values the contributor saw, by field (only the fields they looked at). */
  base: Record<string, CellValue>;
  /** The values the contributor proposes, by field. */
  proposed: Record<string, CellValue>;
  comment?: string;
  /** How to reach the contributor; moderators only. */
  contact?: string;
  /** ISO 8601 date-time. */
  createdAt: string;
  /** 1 when created, +1 at each amendment. */
  revision: number;
  /**
   * Who sent it, as an opaque key (an anonymous device or a member), so trust can be earned
   * per dataset (see auto-approval.ts). Absent: the sender is unknown and never trusted.
   */
  contributor?: string;
};

export type NewProposal = Omit<Proposal, 'id' | 'createdAt' | 'revision' | 'base'> & {
  id?: string;
  createdAt?: string;
  base?: Record<string, CellValue>;
};

export type DecisionStatus = 'accepted' | 'partially-accepted' | 'rejected' | 'withdrawn';
export type ProposalStatus = 'pending' | DecisionStatus;

export type Decision = {
  status: DecisionStatus;
  by: Actor;
  /** ISO 8601 date-time. */
  at: string;
  /** The fields accepted (accepted / partially-accepted). */
  fields?: string[];
  reason?: string;
  /**
   * A partial acceptance: why some proposed fields were refused, by field (only refused fields,
   * only those the moderator gave a reason for). The refused fields themselves are the proposed
   * fields not in `fields`.
   */
  refusedReasons?: Record<string, string>;
  /** Changelog entry ids written in the validated document by this decision. */
  changeIds?: string[];
  /** The row the decision created (accepted `create` proposals). */
  rowId?: string;
  /** Accepted by the auto-approval rules, not by a person ("acceptée automatiquement"). */
  automatic?: boolean;
  /** Set when the decision was undone: the proposal is pending again. */
  undone?: { by: Actor; at: string; changeIds?: string[] };
};

/** A proposal with where it stands. */
export type ProposalView = Proposal & { status: ProposalStatus; decision?: Decision };

/** One field where the current value is not the one a decision expected. */
export type Conflict = {
  field: string;
  base: CellValue | undefined;
  current: CellValue;
  proposed: CellValue;
};
