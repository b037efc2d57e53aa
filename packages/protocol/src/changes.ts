/**
 * The change feed's wire format (`GET /api/datasets/<id>/changes`, its Server-Sent Events twin):
 * what changed in a dataset's validated data, in the order it was accepted. Invariant: a cursor
 * is opaque to clients and names one change for good — it survives restarts and compaction.
 */

/** What happened to a record. `imported`: a file import created `count` records at once. */
export type FeedAction = 'created' | 'changed' | 'deleted' | 'restored' | 'imported';

/** Who made the change, in role terms (never a person's name or e-mail). */
export type FeedRole = 'owner' | 'editor' | 'moderator' | 'proposition anonyme' | 'source officielle';

type FeedValue = string | number | boolean | null;

export interface FeedChange {
  /** Pass as `since` (or `Last-Event-ID`) to get the changes after this one. */
  cursor: string;
  action: FeedAction;
  recordId: string;
  /** `changed`: the field, its value before and after. */
  field?: string;
  old?: FeedValue;
  new?: FeedValue;
  /** `created`: the record's values. */
  values?: Record<string, FeedValue>;
  /** `imported`: how many records the import created. */
  count?: number;
  /** ISO 8601 date-time. */
  at: string;
  role: FeedRole;
  /** The proposal this change accepted, when it came from one. */
  proposalId?: string;
  /** Changes made as one (a release of the official source, an undo). */
  batchId?: string;
}

export interface ChangesPage {
  datasetId: string;
  changes: FeedChange[];
  /** The cursor to ask from next time (the last change's, or `since` when nothing is new). */
  next: string | null;
  /** Whether more changes follow this page right now. */
  more: boolean;
}

export const ChangeFeedErrorCode = {
  /** `since` is not a cursor this dataset gave out. */
  badCursor: 'bad_cursor',
  badLimit: 'bad_limit',
  /** Too many change streams are open from this address. */
  tooManyStreams: 'too_many_streams',
} as const;
export type ChangeFeedErrorCode = (typeof ChangeFeedErrorCode)[keyof typeof ChangeFeedErrorCode];
