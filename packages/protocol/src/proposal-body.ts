/**
 * The anonymous proposal's wire contract: what the citizen's device sends to
 * `POST /api/datasets/<id>/proposals`. The app builds it, the server reads it
 * (sync-server/src/proposals/body.ts checks size, shape and caps): one definition for both.
 */

/** A cell as it travels: what the dataset model can store. */
export type WireCellValue = string | number | boolean | null;

export type ProposalKind = 'create' | 'change' | 'delete';

/** Robots fill every input; people never see this one. It must arrive empty or absent. */
export const HONEYPOT_FIELD = 'website';

export interface ProposalBody {
  kind: ProposalKind;
  /** The row to change or delete; for `create`, an optional id the contributor wishes. */
  rowId?: string;
  /** The values the contributor saw, by field. */
  base: Record<string, WireCellValue>;
  /** The values the contributor proposes, by field (empty for `delete`). */
  proposed: Record<string, WireCellValue>;
  comment?: string;
  /** How to reach the contributor: shown to moderators only, never in a public answer. */
  contact?: string;
  /** Chosen by the contributor's device (a UUID): sending it again never makes a second proposal. */
  idempotencyKey: string;
}
