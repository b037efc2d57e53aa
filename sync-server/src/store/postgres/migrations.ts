/**
 * The PostgreSQL schema, as numbered migrations recorded in `datapatch_migrations`. Invariant:
 * a migration, once released, is never edited or renumbered; new tables or columns come as a
 * new entry, so a database migrated by an older version is brought up to date, never rewritten.
 */

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'update log with per-room sequence numbers',
    // `room_sequences` is the per-room counter: the append bumps it in its own transaction, so
    // its row lock orders the appends of a room and a rolled-back append leaves no gap.
    sql: `
      CREATE TABLE room_sequences (
        room text PRIMARY KEY,
        last_seq bigint NOT NULL
      );
      CREATE TABLE updates (
        room text NOT NULL,
        seq bigint NOT NULL,
        data bytea NOT NULL,
        PRIMARY KEY (room, seq)
      );`,
  },
  {
    version: 2,
    name: 'dataset summaries',
    sql: `
      CREATE TABLE datasets (
        id text PRIMARY KEY,
        title text NOT NULL,
        description text NOT NULL,
        row_count integer NOT NULL,
        updated_at text NOT NULL
      );`,
  },
  // 10–29: accounts, sessions, hubs, roles, invites, password resets, dataset settings
  // (postgres-access-store.ts); the data folder's tables with the same names and columns, so
  // `datapatch store copy` moves them as they are. Times are milliseconds since the epoch.
  {
    version: 10,
    name: 'accounts, sessions, hubs, roles, invites, password resets, dataset settings',
    sql: `
      CREATE TABLE instance_secrets (
        name text PRIMARY KEY,
        value bytea NOT NULL,
        created_at bigint NOT NULL
      );
      CREATE TABLE users (
        id text PRIMARY KEY,
        email text NOT NULL UNIQUE,
        display_name text NOT NULL,
        password_hash text NOT NULL,
        instance_role text NOT NULL CHECK (instance_role IN ('owner', 'member')),
        created_at bigint NOT NULL,
        password_changed_at bigint NOT NULL
      );
      CREATE TABLE sessions (
        token_hash text PRIMARY KEY,
        user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('cookie', 'bearer')),
        label text NOT NULL,
        created_at bigint NOT NULL,
        expires_at bigint NOT NULL,
        idle_ms bigint,
        last_used_at bigint NOT NULL
      );
      CREATE INDEX sessions_by_user ON sessions (user_id);
      CREATE TABLE hubs (
        id text PRIMARY KEY,
        name text NOT NULL,
        created_at bigint NOT NULL
      );
      CREATE TABLE hub_members (
        hub_id text NOT NULL REFERENCES hubs(id) ON DELETE CASCADE,
        user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        hub_role text NOT NULL CHECK (hub_role IN ('admin', 'member')),
        added_at bigint NOT NULL,
        PRIMARY KEY (hub_id, user_id)
      );
      CREATE INDEX hub_members_by_user ON hub_members (user_id);
      CREATE TABLE dataset_settings (
        dataset_id text PRIMARY KEY,
        visibility text NOT NULL CHECK (visibility IN ('public', 'private')),
        proposals text NOT NULL CHECK (proposals IN ('open', 'closed')),
        proposable_fields text NOT NULL,
        created_by text NOT NULL,
        created_at bigint NOT NULL,
        updated_at bigint NOT NULL
      );
      CREATE TABLE dataset_roles (
        dataset_id text NOT NULL,
        subject_kind text NOT NULL CHECK (subject_kind IN ('user', 'hub')),
        subject_id text NOT NULL,
        role text NOT NULL CHECK (role IN ('reader', 'editor', 'moderator', 'owner')),
        granted_by text NOT NULL,
        granted_at bigint NOT NULL,
        PRIMARY KEY (dataset_id, subject_kind, subject_id)
      );
      CREATE INDEX dataset_roles_by_subject ON dataset_roles (subject_kind, subject_id);
      CREATE TABLE invites (
        id text PRIMARY KEY,
        token_hash text NOT NULL UNIQUE,
        dataset_id text NOT NULL,
        role text NOT NULL CHECK (role IN ('reader', 'editor', 'moderator')),
        created_by text NOT NULL,
        created_at bigint NOT NULL,
        expires_at bigint NOT NULL,
        max_uses integer NOT NULL CHECK (max_uses > 0),
        uses integer NOT NULL DEFAULT 0 CHECK (uses <= max_uses),
        revoked_at bigint
      );
      CREATE INDEX invites_by_dataset ON invites (dataset_id);
      CREATE TABLE invite_uses (
        invite_id text NOT NULL REFERENCES invites(id) ON DELETE CASCADE,
        subject_kind text NOT NULL CHECK (subject_kind IN ('user', 'hub')),
        subject_id text NOT NULL,
        used_by text NOT NULL,
        used_at bigint NOT NULL,
        PRIMARY KEY (invite_id, subject_kind, subject_id)
      );
      CREATE TABLE hub_invites (
        id text PRIMARY KEY,
        token_hash text NOT NULL UNIQUE,
        hub_id text NOT NULL REFERENCES hubs(id) ON DELETE CASCADE,
        created_by text NOT NULL,
        created_at bigint NOT NULL,
        expires_at bigint NOT NULL,
        max_uses integer NOT NULL CHECK (max_uses > 0),
        uses integer NOT NULL DEFAULT 0 CHECK (uses <= max_uses),
        revoked_at bigint
      );
      CREATE TABLE password_resets (
        token_hash text PRIMARY KEY,
        user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_by text NOT NULL,
        created_at bigint NOT NULL,
        expires_at bigint NOT NULL,
        used_at bigint
      );
      CREATE INDEX password_resets_by_user ON password_resets (user_id);`,
  },
  // 30–49: anonymous proposals (postgres-proposal-store.ts); same tables and columns as the
  // data folder's, so `datapatch store copy` moves them as they are.
  {
    version: 30,
    name: 'anonymous proposals',
    sql: `
      CREATE TABLE proposals (
        id text PRIMARY KEY,
        dataset_id text NOT NULL,
        idempotency_key_hash text NOT NULL,
        receipt_hash text NOT NULL,
        receipt_box text NOT NULL,
        body text NOT NULL,
        address_hash text NOT NULL,
        created_at bigint NOT NULL,
        updated_at bigint NOT NULL,
        revision integer NOT NULL DEFAULT 1,
        delivered_revision integer NOT NULL DEFAULT 0,
        settled_at bigint,
        UNIQUE (dataset_id, idempotency_key_hash)
      );
      CREATE INDEX proposals_unsettled_by_address ON proposals (address_hash) WHERE settled_at IS NULL;
      CREATE INDEX proposals_undelivered ON proposals (dataset_id) WHERE delivered_revision < revision;`,
  },
  {
    version: 50,
    name: 'webhooks, their change-feed cursor and recent deliveries',
    sql: `
      CREATE TABLE webhooks (
        id text PRIMARY KEY,
        dataset_id text NOT NULL,
        url text NOT NULL,
        secret text NOT NULL,
        enabled boolean NOT NULL,
        failures integer NOT NULL,
        disabled_reason text,
        cursor text,
        created_at bigint NOT NULL
      );
      CREATE INDEX webhooks_by_dataset ON webhooks (dataset_id);
      CREATE TABLE webhook_deliveries (
        seq bigserial PRIMARY KEY,
        webhook_id text NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
        event_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('delivered', 'failed')),
        at bigint NOT NULL,
        response_code integer,
        error text
      );
      CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, seq);`,
  },
];
