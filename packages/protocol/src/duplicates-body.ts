/**
 * The wire contract of `POST /api/datasets/<id>/duplicates`: the app sends the values of a record
 * about to be proposed; the server answers the likely duplicates it may show, from that dataset and
 * the instance's public datasets only. Reasons are codes the app words in its own language.
 */
import type { WireCellValue } from './proposal-body.ts';

export interface DuplicatesRequest {
  /** The record's values by field of the dataset posted to. */
  values: Record<string, WireCellValue>;
}

export type DuplicateReasonCode =
  | 'same-name'
  | 'similar-name'
  | 'nearby'
  | 'same-address'
  | 'same-phone'
  | 'same-email'
  | 'same-siret'
  | 'same-town';

export interface DuplicateReasonWire {
  code: DuplicateReasonCode;
  /** For `nearby`: the distance, rounded to the metre. */
  meters?: number;
}

export interface DuplicateCandidateWire {
  datasetId: string;
  datasetTitle: string;
  rowId: string;
  /** In [0, 1]; the server answers only candidates at or above its threshold. */
  score: number;
  reasons: DuplicateReasonWire[];
  /** What to show of the record: its name, address and town as the dataset writes them. */
  label: { name: string; address: string; city: string };
}

export interface DuplicatesAnswer {
  candidates: DuplicateCandidateWire[];
}

export const DuplicatesErrorCode = {
  /** The body is not `{values: {field: value}}`, or too large. */
  badBody: 'duplicates_bad_body',
} as const;
