/**
 * Webhooks' shared words: the Standard Webhooks headers a receiver checks, and the codes of a
 * refused destination. Invariant: the codes are stable; the app shows a sentence for each.
 */
import type { FeedChange } from './changes.ts';

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
  /** The dataset holds no webhook with this id. */
  notFound: 'webhook_not_found',
  /** The dataset already holds the most webhooks allowed. */
  tooMany: 'webhook_limit',
} as const;
export type WebhookErrorCode = (typeof WebhookErrorCode)[keyof typeof WebhookErrorCode];

/** The JSON body of a delivery (Standard Webhooks' `type`, `timestamp`, `data`). */
export interface WebhookEvent {
  /** `dataset.changed`: one accepted change; `webhook.test`: sent from the settings' button. */
  type: 'dataset.changed' | 'webhook.test';
  /** ISO 8601 date-time of the sending. */
  timestamp: string;
  data: { datasetId: string; change?: FeedChange };
}

/** What the owner sees of a webhook (the secret only in the answer that registered it). */
export interface WebhookView {
  id: string;
  url: string;
  enabled: boolean;
  failures: number;
  disabledReason: string | null;
  createdAt: string;
  secret?: string;
}

export interface WebhookDeliveryView {
  eventId: string;
  status: 'delivered' | 'failed';
  at: string;
  responseCode: number | null;
  error: string | null;
}
