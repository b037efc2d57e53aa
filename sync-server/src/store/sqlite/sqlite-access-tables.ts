/**
 * The access tables in the data folder's SQLite file, exactly as earlier versions made them
 * (same names, columns and constraints), so existing data folders open unchanged. Every
 * statement is `CREATE … IF NOT EXISTS`: running this at every start is safe and cheap.
 */
import type { SqliteDatabase } from './sqlite-database.ts';

const TABLES = `
CREATE TABLE IF NOT EXISTS instance_secrets (
  name TEXT PRIMARY KEY,
  value BLOB NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  instance_role TEXT NOT NULL CHECK (instance_role IN ('owner', 'member')),
  created_at INTEGER NOT NULL,
  password_changed_at INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('cookie', 'bearer')),
  label TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  idle_ms INTEGER,
  last_used_at INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions (user_id);
CREATE TABLE IF NOT EXISTS hubs (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS hub_members (
  hub_id TEXT NOT NULL REFERENCES hubs(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  hub_role TEXT NOT NULL CHECK (hub_role IN ('admin', 'member')),
  added_at INTEGER NOT NULL,
  PRIMARY KEY (hub_id, user_id)
) STRICT;
CREATE INDEX IF NOT EXISTS hub_members_by_user ON hub_members (user_id);
CREATE TABLE IF NOT EXISTS dataset_settings (
  dataset_id TEXT PRIMARY KEY,
  visibility TEXT NOT NULL CHECK (visibility IN ('public', 'private')),
  proposals TEXT NOT NULL CHECK (proposals IN ('open', 'closed')),
  proposable_fields TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS dataset_roles (
  dataset_id TEXT NOT NULL,
  subject_kind TEXT NOT NULL CHECK (subject_kind IN ('user', 'hub')),
  subject_id TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('reader', 'editor', 'moderator', 'owner')),
  granted_by TEXT NOT NULL,
  granted_at INTEGER NOT NULL,
  PRIMARY KEY (dataset_id, subject_kind, subject_id)
) STRICT;
CREATE INDEX IF NOT EXISTS dataset_roles_by_subject ON dataset_roles (subject_kind, subject_id);
CREATE TABLE IF NOT EXISTS invites (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  dataset_id TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('reader', 'editor', 'moderator')),
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  max_uses INTEGER NOT NULL CHECK (max_uses > 0),
  uses INTEGER NOT NULL DEFAULT 0 CHECK (uses <= max_uses),
  revoked_at INTEGER
) STRICT;
CREATE INDEX IF NOT EXISTS invites_by_dataset ON invites (dataset_id);
CREATE TABLE IF NOT EXISTS invite_uses (
  invite_id TEXT NOT NULL REFERENCES invites(id) ON DELETE CASCADE,
  subject_kind TEXT NOT NULL CHECK (subject_kind IN ('user', 'hub')),
  subject_id TEXT NOT NULL,
  used_by TEXT NOT NULL,
  used_at INTEGER NOT NULL,
  PRIMARY KEY (invite_id, subject_kind, subject_id)
) STRICT;
CREATE TABLE IF NOT EXISTS hub_invites (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  hub_id TEXT NOT NULL REFERENCES hubs(id) ON DELETE CASCADE,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  max_uses INTEGER NOT NULL CHECK (max_uses > 0),
  uses INTEGER NOT NULL DEFAULT 0 CHECK (uses <= max_uses),
  revoked_at INTEGER
) STRICT;
CREATE TABLE IF NOT EXISTS password_resets (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
) STRICT;
CREATE INDEX IF NOT EXISTS password_resets_by_user ON password_resets (user_id);
`;

/** Creates every access table that is missing, in one transaction. */
export function migrateAccessTables(db: SqliteDatabase): void {
  // Sessions and hub memberships go when their user goes.
  db.pragma('foreign_keys = ON');
  db.transaction(() => db.exec(TABLES))();
}
