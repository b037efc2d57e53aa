/**
 * Keeping a dataset in step with its official source, on the wire: the source's settings, the
 * answers of the dry run and of the real run, their error codes. The merge itself is in
 * @datapatch/upstream; its dry run is what `UpstreamRunAnswer` carries.
 * Invariant: a code never changes meaning once released.
 */
import type { UpstreamDryRun } from '@datapatch/upstream';

/** `/api/datasets/:id/upstream/*`. */
export const UpstreamErrorCode = {
  /** The dataset names no key to match records with (`PUT …/upstream` first). */
  notConfigured: 'upstream_not_configured',
  /** No file was sent and the dataset names no URL to read the release from. */
  noRelease: 'upstream_no_release',
  /** The release cannot be read as a table (`detail` holds the reader's code). */
  unreadable: 'upstream_unreadable',
  /** The configured URL did not answer with a file (status, network, size, time). */
  fetchFailed: 'upstream_fetch_failed',
  /** A key column is missing from the release or from the dataset's fields (`fields` lists them). */
  badKey: 'upstream_bad_key',
  /** The settings body is not `{url?: string|null, key: string[]}` with an http(s) URL. */
  invalidSettings: 'upstream_invalid_settings',
  /** `changes.csv` needs a release taken (or named as the starting point) first. */
  noReleaseTaken: 'upstream_no_release_taken',
  /** The release is larger than the server reads (`limit` in bytes). */
  tooLarge: 'upstream_too_large',
} as const;
export type UpstreamErrorCode = (typeof UpstreamErrorCode)[keyof typeof UpstreamErrorCode];

/** What `GET /api/datasets/:id/upstream` answers and `PUT` takes (`lastRelease` is read-only). */
export type UpstreamSettings = {
  url: string | null;
  key: string[];
  lastRelease?: { filename: string; takenAt: string; rows: number } | null;
};

/** `POST …/upstream/dry-run` and `…/upstream/apply`: the plan's counts and first examples. */
export type UpstreamRunAnswer = UpstreamDryRun & {
  filename: string;
  /** The real run: the history batch that holds it (undo it as one) and the proposals sent. */
  batchId?: string;
  proposalsSent?: number;
};
