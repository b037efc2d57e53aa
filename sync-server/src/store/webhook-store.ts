/**
 * A dataset's webhooks and where each stands in the change feed. Invariants: a webhook's
 * `cursor` is the last change its receiver acknowledged, moved only by `delivered`, so the change
 * feed is the durable outbox (after a crash delivery resumes from it, nothing lost); only the
 * newest `KEPT_DELIVERIES` deliveries of a webhook are kept; `lease` lets one process at a time
 * deliver a webhook.
 */

export interface Webhook {
  id: string;
  datasetId: string;
  url: string;
  /** The `whsec_` signing secret; shown to the owner only when the webhook is registered. */
  secret: string;
  enabled: boolean;
  /** Failed attempts since the last success. */
  failures: number;
  /** Why delivery stopped (null while enabled). */
  disabledReason: string | null;
  /** The last change cursor the receiver acknowledged (null: from the feed's beginning). */
  cursor: string | null;
  /** Milliseconds since 1970. */
  createdAt: number;
}

export type DeliveryStatus = 'delivered' | 'failed';

export interface WebhookDelivery {
  /** The `webhook-id` sent: the change cursor, or `test_…` for a test event. */
  eventId: string;
  status: DeliveryStatus;
  /** Milliseconds since 1970. */
  at: number;
  /** The receiver's HTTP status (null when none came: refused, timed out, unreachable). */
  responseCode: number | null;
  /** What went wrong, in a few words (null on success). */
  error: string | null;
}

export interface NewWebhook {
  datasetId: string;
  url: string;
  secret: string;
  /** Where delivery starts: the feed's last cursor when registered, so only later changes go. */
  cursor: string | null;
}

export const KEPT_DELIVERIES = 50;

export interface WebhookStore {
  register(webhook: NewWebhook): Promise<Webhook>;
  list(datasetId: string): Promise<Webhook[]>;
  get(id: string): Promise<Webhook | null>;
  /** Every enabled webhook of the instance, for the deliverer's sweep. */
  enabled(): Promise<Webhook[]>;
  /** False when the dataset holds no such webhook. */
  remove(datasetId: string, id: string): Promise<boolean>;
  /** Turns a webhook on again, its failures forgotten; false when there is no such webhook. */
  enable(datasetId: string, id: string): Promise<boolean>;
  /** Records a delivery; a delivered change (`cursor`) moves the webhook's cursor and resets failures. */
  recordDelivery(id: string, delivery: WebhookDelivery, cursor?: string): Promise<void>;
  /** Records a failed attempt; at `disableAfter` consecutive failures the webhook is turned off. */
  recordFailure(id: string, delivery: WebhookDelivery, disableAfter: number): Promise<Webhook | null>;
  /** The newest deliveries first. */
  deliveries(id: string, limit?: number): Promise<WebhookDelivery[]>;
  /** Runs `work` holding the webhook's delivery lease; null (work not run) when another holds it. */
  lease<T>(id: string, work: () => Promise<T>): Promise<T | null>;
}

/** A webhook as registered: a fresh id, on, no failure yet. */
export function newWebhook(input: NewWebhook, id: string, now: number): Webhook {
  return { id, ...input, enabled: true, failures: 0, disabledReason: null, createdAt: now };
}

/** The reason written when repeated failures turn a webhook off. */
export function disabledAfter(failures: number): string {
  return `Turned off after ${failures} failed deliveries in a row`;
}
