/**
 * Webhooks' shared words: the Standard Webhooks headers a receiver checks, and the codes of a
 * refused destination. Invariant: the codes are stable; the app shows a sentence for each.
 */

/** Standard Webhooks (standardwebhooks.com) header names, lower case as HTTP/2 sends them. */
export const WEBHOOK_HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
} as const;

export const WebhookErrorCode = {
  /** Not an absolute http(s) URL, or it carries a user name or password. */
  badUrl: 'webhook_bad_url',
  /** The host names no address we could resolve. */
  unresolved: 'webhook_unresolved',
  /** The host resolves to a private, loopback, link-local or otherwise internal address. */
  privateAddress: 'webhook_private_address',
} as const;
export type WebhookErrorCode = (typeof WebhookErrorCode)[keyof typeof WebhookErrorCode];
