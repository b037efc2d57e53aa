/**
 * Error codes that cross the wire: HTTP answers are `{error: {code, message}}` and clients
 * branch on `code` only, so a code never changes meaning once released. Messages may change.
 * Each area keeps its own block; add new codes at the end of a block.
 */

/** Accounts, sessions, roles, invites (sync-server/src/access). */
export const AccessErrorCode = {
  /** Email or password wrong; deliberately does not say which. */
  invalidCredentials: 'invalid_credentials',
  /** Too many failed sign-ins for this account or this address; retry later. */
  tooManyAttempts: 'too_many_attempts',
  /** No valid session: signed out, expired, or never signed in. */
  unauthenticated: 'unauthenticated',
  /** Signed in, but this role may not do that. */
  forbidden: 'forbidden',
  invalidEmail: 'invalid_email',
  emailTaken: 'email_taken',
  weakPassword: 'weak_password',
  userNotFound: 'user_not_found',
  hubNotFound: 'hub_not_found',
  datasetNotFound: 'dataset_not_found',
  datasetExists: 'dataset_exists',
  /** A dataset must keep at least one person as owner. */
  lastOwner: 'last_owner',
  inviteNotFound: 'invite_not_found',
  inviteExpired: 'invite_expired',
  inviteUsedUp: 'invite_used_up',
  inviteRevoked: 'invite_revoked',
  invalidInvite: 'invalid_invite',
  /** A password reset link nobody made (or mistyped). */
  resetNotFound: 'reset_not_found',
  /** A password reset link already used once: links work once. */
  resetUsed: 'reset_used',
  resetExpired: 'reset_expired',
  invalidSettings: 'invalid_settings',
  /** `proposableFields` names fields the dataset's schema does not have; `fields` lists them. */
  unknownProposableField: 'unknown_proposable_field',
} as const;
export type AccessErrorCode = (typeof AccessErrorCode)[keyof typeof AccessErrorCode];

/** Any request: bounds every route shares. */
export const RequestLimitErrorCode = {
  /** A JSON body over its cap (1 MiB): 413, answered as soon as the cap is passed, or at once from `Content-Length`. */
  bodyTooLarge: 'body_too_large',
} as const;
export type RequestLimitErrorCode = (typeof RequestLimitErrorCode)[keyof typeof RequestLimitErrorCode];

/**
 * Imports (`POST /api/datasets/:id/import`): the bounds on the work one request may cause.
 * Each budget's code names it, so a client can tell the owner which one the file went over.
 */
export const ImportLimitErrorCode = {
  /** Too many imports running for this account or on this instance: 429, retry after `Retry-After`. */
  busy: 'import_busy',
  /** Reading and checking the file took longer than the time budget: 413. */
  timeBudgetExceeded: 'import_time_budget_exceeded',
  /** Reading and checking the file needed more memory than the memory budget: 413. */
  memoryBudgetExceeded: 'import_memory_budget_exceeded',
  /** The file has more rows than the row budget: 413. */
  rowBudgetExceeded: 'import_row_budget_exceeded',
  /** A multipart/form-data body that cannot be parsed: 400. */
  malformedBody: 'malformed_body',
  /** The file could not be read for a reason the reader did not foresee (logged): 422. */
  unreadable: 'import_unreadable',
} as const;
export type ImportLimitErrorCode = (typeof ImportLimitErrorCode)[keyof typeof ImportLimitErrorCode];

/** Anonymous proposals (sync-server/src/proposals). */
export const ProposalErrorCode = {
  tooLarge: 'proposal_too_large',
  /** Not JSON, wrong shape, or a value the dataset's schema refuses; `issues` says where. */
  invalid: 'proposal_invalid',
  /** The honeypot field was filled: treated as a robot. */
  spam: 'proposal_spam',
  /** A field the dataset does not open to anonymous proposals. */
  fieldClosed: 'proposal_field_closed',
  /** The dataset does not take proposals now. */
  closed: 'proposals_closed',
  /** The same idempotency key came with a different proposal. */
  idempotencyKeyReused: 'idempotency_key_reused',
  rateLimited: 'rate_limited',
  /** This address already has too many proposals waiting for moderation. */
  tooManyPending: 'too_many_pending',
  /** Unknown proposal, or a receipt that does not match: indistinguishable on purpose. */
  notFound: 'proposal_not_found',
  /** Amend or withdraw after a moderator decided. */
  notPending: 'proposal_not_pending',
} as const;
export type ProposalErrorCode = (typeof ProposalErrorCode)[keyof typeof ProposalErrorCode];
