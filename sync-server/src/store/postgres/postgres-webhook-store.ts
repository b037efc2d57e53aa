/**
 * WebhookStore on PostgreSQL (migration 50). Invariants: a delivery and its cursor move commit
 * together; the delivery lease is a session advisory lock on a connection held for the work, so
 * among the instance's processes one at a time delivers a webhook, and a crashed holder's lease
 * ends with its connection.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import {
  disabledAfter,
  KEPT_DELIVERIES,
  type NewWebhook,
  newWebhook,
  type Webhook,
  type WebhookDelivery,
  type WebhookStore,
} from '../webhook-store.ts';
import { inTransaction, type PostgresDatabase } from './postgres-database.ts';

interface WebhookRow {
  id: string;
  dataset_id: string;
  url: string;
  secret: string;
  enabled: boolean;
  failures: number;
  disabled_reason: string | null;
  cursor: string | null;
  created_at: string;
}

function toWebhook(row: WebhookRow): Webhook {
  return {
    id: row.id,
    datasetId: row.dataset_id,
    url: row.url,
    secret: row.secret,
    enabled: row.enabled,
    failures: row.failures,
    disabledReason: row.disabled_reason,
    cursor: row.cursor,
    createdAt: Number(row.created_at),
  };
}

const INSERT_DELIVERY = `
  INSERT INTO webhook_deliveries (webhook_id, event_id, status, at, response_code, error)
  SELECT $1, $2, $3, $4, $5, $6 WHERE EXISTS (SELECT 1 FROM webhooks WHERE id = $1)`;
const PRUNE_DELIVERIES = `
  DELETE FROM webhook_deliveries WHERE webhook_id = $1 AND seq NOT IN
    (SELECT seq FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY seq DESC LIMIT $2)`;

/** Records a delivery and drops the oldest beyond `KEPT_DELIVERIES`. */
async function insertDelivery(client: pg.PoolClient, id: string, delivery: WebhookDelivery): Promise<void> {
  const { eventId, status, at, responseCode, error } = delivery;
  await client.query(INSERT_DELIVERY, [id, eventId, status, at, responseCode, error]);
  await client.query(PRUNE_DELIVERIES, [id, KEPT_DELIVERIES]);
}

export class PostgresWebhookStore implements WebhookStore {
  readonly #db: PostgresDatabase;

  constructor(db: PostgresDatabase) {
    this.#db = db;
  }

  async register(input: NewWebhook): Promise<Webhook> {
    const webhook = newWebhook(input, randomUUID(), Date.now());
    await this.#db.pool.query(
      `INSERT INTO webhooks (id, dataset_id, url, secret, enabled, failures, disabled_reason, cursor, created_at)
       VALUES ($1, $2, $3, $4, true, 0, NULL, $5, $6)`,
      [webhook.id, webhook.datasetId, webhook.url, webhook.secret, webhook.cursor, webhook.createdAt],
    );
    return webhook;
  }

  async list(datasetId: string): Promise<Webhook[]> {
    const { rows } = await this.#db.pool.query<WebhookRow>(
      'SELECT * FROM webhooks WHERE dataset_id = $1 ORDER BY created_at, id COLLATE "C"',
      [datasetId],
    );
    return rows.map(toWebhook);
  }

  async get(id: string): Promise<Webhook | null> {
    const { rows } = await this.#db.pool.query<WebhookRow>('SELECT * FROM webhooks WHERE id = $1', [id]);
    return rows[0] ? toWebhook(rows[0]) : null;
  }

  async enabled(): Promise<Webhook[]> {
    const { rows } = await this.#db.pool.query<WebhookRow>(
      'SELECT * FROM webhooks WHERE enabled ORDER BY created_at, id COLLATE "C"',
    );
    return rows.map(toWebhook);
  }

  async remove(datasetId: string, id: string): Promise<boolean> {
    const done = await this.#db.pool.query('DELETE FROM webhooks WHERE id = $1 AND dataset_id = $2', [
      id,
      datasetId,
    ]);
    return (done.rowCount ?? 0) > 0;
  }

  async enable(datasetId: string, id: string): Promise<boolean> {
    const done = await this.#db.pool.query(
      'UPDATE webhooks SET enabled = true, failures = 0, disabled_reason = NULL WHERE id = $1 AND dataset_id = $2',
      [id, datasetId],
    );
    return (done.rowCount ?? 0) > 0;
  }

  async recordDelivery(id: string, delivery: WebhookDelivery, cursor?: string): Promise<void> {
    await inTransaction(this.#db.pool, async (client) => {
      await insertDelivery(client, id, delivery);
      if (cursor !== undefined)
        await client.query('UPDATE webhooks SET cursor = $2, failures = 0 WHERE id = $1', [id, cursor]);
    });
  }

  async recordFailure(id: string, delivery: WebhookDelivery, disableAfter: number): Promise<Webhook | null> {
    return inTransaction(this.#db.pool, async (client) => {
      await insertDelivery(client, id, delivery);
      const { rows } = await client.query<WebhookRow>(
        `UPDATE webhooks SET failures = failures + 1,
           enabled = enabled AND failures + 1 < $2,
           disabled_reason = CASE WHEN enabled AND failures + 1 >= $2 THEN $3 ELSE disabled_reason END
         WHERE id = $1 RETURNING *`,
        [id, disableAfter, disabledAfter(disableAfter)],
      );
      return rows[0] ? toWebhook(rows[0]) : null;
    });
  }

  async deliveries(id: string, limit = KEPT_DELIVERIES): Promise<WebhookDelivery[]> {
    const { rows } = await this.#db.pool.query<{
      event_id: string;
      status: 'delivered' | 'failed';
      at: string;
      response_code: number | null;
      error: string | null;
    }>(
      `SELECT event_id, status, at, response_code, error FROM webhook_deliveries
       WHERE webhook_id = $1 ORDER BY seq DESC LIMIT $2`,
      [id, limit],
    );
    return rows.map((row) => ({
      eventId: row.event_id,
      status: row.status,
      at: Number(row.at),
      responseCode: row.response_code,
      error: row.error,
    }));
  }

  async lease<T>(id: string, work: () => Promise<T>): Promise<T | null> {
    const client = await this.#db.pool.connect();
    const key = `SELECT hashtextextended('datapatch-webhook:' || current_schema() || ':' || $1, 0) AS key`;
    try {
      const { rows } = await client.query<{ key: string }>(key, [id]);
      const lockKey = rows[0]!.key;
      const got = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [lockKey]);
      if (!got.rows[0]?.ok) return null;
      try {
        return await work();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [lockKey]);
      }
    } finally {
      client.release();
    }
  }
}
