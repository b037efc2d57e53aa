/**
 * WebhookStore in the data folder's SQLite file: `webhooks` and `webhook_deliveries`, made with
 * `CREATE … IF NOT EXISTS` at open. Invariants: one process owns the folder, so the lease is an
 * in-process one; a delivery and its cursor move are written in one transaction.
 */
import { randomUUID } from 'node:crypto';
import {
  disabledAfter,
  KEPT_DELIVERIES,
  type NewWebhook,
  newWebhook,
  type Webhook,
  type WebhookDelivery,
  type WebhookStore,
} from '../webhook-store.ts';
import type { SqliteDatabase } from './sqlite-database.ts';

const TABLES = `
CREATE TABLE IF NOT EXISTS webhooks (
  id TEXT PRIMARY KEY,
  dataset_id TEXT NOT NULL,
  url TEXT NOT NULL,
  secret TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  failures INTEGER NOT NULL,
  disabled_reason TEXT,
  cursor TEXT,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS webhooks_by_dataset ON webhooks (dataset_id);
CREATE TABLE IF NOT EXISTS webhook_deliveries (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  webhook_id TEXT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
  event_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('delivered', 'failed')),
  at INTEGER NOT NULL,
  response_code INTEGER,
  error TEXT
) STRICT;
CREATE INDEX IF NOT EXISTS webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, seq);
`;

/** Creates the webhook tables (idempotent): at start, and in a data folder a copy writes into. */
export function migrateWebhooks(db: SqliteDatabase): void {
  db.exec(TABLES);
}

interface WebhookRow {
  id: string;
  dataset_id: string;
  url: string;
  secret: string;
  enabled: number;
  failures: number;
  disabled_reason: string | null;
  cursor: string | null;
  created_at: number;
}

interface DeliveryRow {
  event_id: string;
  status: 'delivered' | 'failed';
  at: number;
  response_code: number | null;
  error: string | null;
}

function toWebhook(row: WebhookRow): Webhook {
  return {
    id: row.id,
    datasetId: row.dataset_id,
    url: row.url,
    secret: row.secret,
    enabled: row.enabled === 1,
    failures: row.failures,
    disabledReason: row.disabled_reason,
    cursor: row.cursor,
    createdAt: row.created_at,
  };
}

export class SqliteWebhookStore implements WebhookStore {
  readonly #db: SqliteDatabase;
  readonly #leased = new Set<string>();

  constructor(db: SqliteDatabase) {
    this.#db = db;
    migrateWebhooks(db);
  }

  async register(input: NewWebhook): Promise<Webhook> {
    const webhook = newWebhook(input, randomUUID(), Date.now());
    this.#db
      .prepare(
        `INSERT INTO webhooks (id, dataset_id, url, secret, enabled, failures, disabled_reason, cursor, created_at)
         VALUES (?, ?, ?, ?, 1, 0, NULL, ?, ?)`,
      )
      .run(webhook.id, webhook.datasetId, webhook.url, webhook.secret, webhook.cursor, webhook.createdAt);
    return webhook;
  }

  async list(datasetId: string): Promise<Webhook[]> {
    return this.#db
      .prepare<[string], WebhookRow>('SELECT * FROM webhooks WHERE dataset_id = ? ORDER BY created_at, id')
      .all(datasetId)
      .map(toWebhook);
  }

  async get(id: string): Promise<Webhook | null> {
    const row = this.#db.prepare<[string], WebhookRow>('SELECT * FROM webhooks WHERE id = ?').get(id);
    return row ? toWebhook(row) : null;
  }

  async enabled(): Promise<Webhook[]> {
    return this.#db
      .prepare<[], WebhookRow>('SELECT * FROM webhooks WHERE enabled = 1 ORDER BY created_at, id')
      .all()
      .map(toWebhook);
  }

  async remove(datasetId: string, id: string): Promise<boolean> {
    return this.#db.transaction(() => {
      this.#db.prepare('DELETE FROM webhook_deliveries WHERE webhook_id = ?').run(id);
      return (
        this.#db.prepare('DELETE FROM webhooks WHERE id = ? AND dataset_id = ?').run(id, datasetId).changes >
        0
      );
    })();
  }

  async enable(datasetId: string, id: string): Promise<boolean> {
    const done = this.#db
      .prepare(
        'UPDATE webhooks SET enabled = 1, failures = 0, disabled_reason = NULL WHERE id = ? AND dataset_id = ?',
      )
      .run(id, datasetId);
    return done.changes > 0;
  }

  #insert(id: string, delivery: WebhookDelivery): void {
    this.#db
      .prepare(
        `INSERT INTO webhook_deliveries (webhook_id, event_id, status, at, response_code, error)
         SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM webhooks WHERE id = ?)`,
      )
      .run(id, delivery.eventId, delivery.status, delivery.at, delivery.responseCode, delivery.error, id);
    this.#db
      .prepare(
        `DELETE FROM webhook_deliveries WHERE webhook_id = ? AND seq NOT IN
           (SELECT seq FROM webhook_deliveries WHERE webhook_id = ? ORDER BY seq DESC LIMIT ?)`,
      )
      .run(id, id, KEPT_DELIVERIES);
  }

  async recordDelivery(id: string, delivery: WebhookDelivery, cursor?: string): Promise<void> {
    this.#db.transaction(() => {
      this.#insert(id, delivery);
      if (cursor !== undefined)
        this.#db.prepare('UPDATE webhooks SET cursor = ?, failures = 0 WHERE id = ?').run(cursor, id);
    })();
  }

  async recordFailure(id: string, delivery: WebhookDelivery, disableAfter: number): Promise<Webhook | null> {
    return this.#db.transaction(() => {
      this.#insert(id, delivery);
      this.#db.prepare('UPDATE webhooks SET failures = failures + 1 WHERE id = ?').run(id);
      this.#db
        .prepare(
          'UPDATE webhooks SET enabled = 0, disabled_reason = ? WHERE id = ? AND enabled = 1 AND failures >= ?',
        )
        .run(disabledAfter(disableAfter), id, disableAfter);
      const row = this.#db.prepare<[string], WebhookRow>('SELECT * FROM webhooks WHERE id = ?').get(id);
      return row ? toWebhook(row) : null;
    })();
  }

  async deliveries(id: string, limit = KEPT_DELIVERIES): Promise<WebhookDelivery[]> {
    return this.#db
      .prepare<[string, number], DeliveryRow>(
        `SELECT event_id, status, at, response_code, error FROM webhook_deliveries
         WHERE webhook_id = ? ORDER BY seq DESC LIMIT ?`,
      )
      .all(id, limit)
      .map((row) => ({
        eventId: row.event_id,
        status: row.status,
        at: row.at,
        responseCode: row.response_code,
        error: row.error,
      }));
  }

  async lease<T>(id: string, work: () => Promise<T>): Promise<T | null> {
    if (this.#leased.has(id)) return null;
    this.#leased.add(id);
    try {
      return await work();
    } finally {
      this.#leased.delete(id);
    }
  }
}
