/**
 * AccessStore on PostgreSQL, shared by every server process. Invariants: `transaction` is one
 * READ COMMITTED transaction on one connection, retried whole on a deadlock; the `lock…` and
 * `find…(…, lock)` methods take row locks (SELECT … FOR UPDATE) held to its end, so invite uses,
 * the last owner and the last hub admin are decided one process at a time; emails and token
 * hashes are UNIQUE, and inserts that may race use ON CONFLICT or a conditional UPDATE.
 */
import type pg from 'pg';
import {
  toGrant,
  toHub,
  toHubInvite,
  toHubMember,
  toInvite,
  toNamedHubMember,
  toPasswordReset,
  toSession,
  toSettings,
  toUser,
} from '../access-rows.ts';
import type {
  AccessQueries,
  AccessStore,
  DatasetRole,
  DatasetSettingsRecord,
  GrantRecord,
  HubInviteRecord,
  HubMemberRecord,
  HubRecord,
  HubRole,
  InviteRecord,
  NamedHubMemberRecord,
  PasswordResetRecord,
  SessionRecord,
  SubjectRef,
  UserRecord,
} from '../access-store.ts';
import { inTransaction, type PostgresDatabase } from './postgres-database.ts';

type Row = Record<string, unknown>;
type Queryable = pg.Pool | pg.PoolClient;

class PostgresAccessQueries implements AccessQueries {
  readonly #on: Queryable;
  readonly #pool: pg.Pool;
  /** Inside `transaction`: locks are held to its end, and compound writes need no own transaction. */
  readonly #inTransaction: boolean;

  constructor(pool: pg.Pool, client?: pg.PoolClient) {
    this.#pool = pool;
    this.#on = client ?? pool;
    this.#inTransaction = client !== undefined;
  }

  async #rows(sql: string, params: unknown[] = []): Promise<Row[]> {
    return (await this.#on.query<Row>(sql, params)).rows;
  }

  async #row(sql: string, params: unknown[] = []): Promise<Row | undefined> {
    return (await this.#rows(sql, params))[0];
  }

  async #count(sql: string, params: unknown[] = []): Promise<number> {
    return (await this.#on.query(sql, params)).rowCount ?? 0;
  }

  /** Runs several statements as one: in the caller's transaction, or in one of its own. */
  #atomically<T>(work: (tx: PostgresAccessQueries) => Promise<T>): Promise<T> {
    if (this.#inTransaction) return work(this);
    return inTransaction(this.#pool, (client) => work(new PostgresAccessQueries(this.#pool, client)));
  }

  async getUser(userId: string): Promise<UserRecord | undefined> {
    const row = await this.#row('SELECT * FROM users WHERE id = $1', [userId]);
    return row && toUser(row);
  }

  async findUserByEmail(email: string): Promise<UserRecord | undefined> {
    const row = await this.#row('SELECT * FROM users WHERE email = $1', [email]);
    return row && toUser(row);
  }

  async countUsers(): Promise<number> {
    return Number((await this.#row('SELECT count(*) AS n FROM users'))?.n);
  }

  async firstOwner(): Promise<UserRecord | undefined> {
    const row = await this.#row(
      `SELECT * FROM users WHERE instance_role = 'owner' ORDER BY created_at, id COLLATE "C" LIMIT 1`,
    );
    return row && toUser(row);
  }

  async createUser(user: UserRecord): Promise<boolean> {
    return (
      (await this.#count(
        `INSERT INTO users (id, email, display_name, password_hash, instance_role, created_at, password_changed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (email) DO NOTHING`,
        userColumns(user),
      )) > 0
    );
  }

  createFirstUser(user: UserRecord): Promise<boolean> {
    return this.#atomically(async (tx) => {
      // Blocks other inserts into users until this transaction ends: two starts, one owner.
      await tx.#on.query('LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE');
      return (
        (await tx.#count(
          `INSERT INTO users (id, email, display_name, password_hash, instance_role, created_at, password_changed_at)
           SELECT $1, $2, $3, $4, $5, $6, $6 WHERE NOT EXISTS (SELECT 1 FROM users)`,
          userColumns(user),
        )) > 0
      );
    });
  }

  async deleteUser(userId: string): Promise<void> {
    await this.#on.query('DELETE FROM users WHERE id = $1', [userId]);
  }

  async setPasswordHash(userId: string, passwordHash: string, changedAt: number | null): Promise<void> {
    await this.#on.query(
      'UPDATE users SET password_hash = $1, password_changed_at = coalesce($2, password_changed_at) WHERE id = $3',
      [passwordHash, changedAt, userId],
    );
  }

  async createSession(session: SessionRecord): Promise<void> {
    await this.#on.query(
      `INSERT INTO sessions (token_hash, user_id, kind, label, created_at, expires_at, idle_ms, last_used_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        session.tokenHash,
        session.userId,
        session.kind,
        session.label,
        session.createdAt,
        session.expiresAt,
        session.idleMs,
        session.lastUsedAt,
      ],
    );
  }

  async findSession(tokenHash: string): Promise<SessionRecord | undefined> {
    const row = await this.#row('SELECT * FROM sessions WHERE token_hash = $1', [tokenHash]);
    return row && toSession(row);
  }

  async touchSession(tokenHash: string, at: number): Promise<void> {
    await this.#on.query('UPDATE sessions SET last_used_at = $1 WHERE token_hash = $2', [at, tokenHash]);
  }

  async endSession(tokenHash: string): Promise<boolean> {
    return (await this.#count('DELETE FROM sessions WHERE token_hash = $1', [tokenHash])) > 0;
  }

  endSessionsOf(userId: string, exceptTokenHash?: string): Promise<number> {
    return this.#count('DELETE FROM sessions WHERE user_id = $1 AND token_hash != $2', [
      userId,
      exceptTokenHash ?? '',
    ]);
  }

  pruneSessions(now: number): Promise<number> {
    return this.#count(
      'DELETE FROM sessions WHERE expires_at <= $1 OR (idle_ms IS NOT NULL AND last_used_at + idle_ms <= $1)',
      [now],
    );
  }

  async createHub(hub: HubRecord): Promise<void> {
    await this.#on.query('INSERT INTO hubs (id, name, created_at) VALUES ($1, $2, $3)', [
      hub.id,
      hub.name,
      hub.createdAt,
    ]);
  }

  async getHub(hubId: string): Promise<HubRecord | undefined> {
    const row = await this.#row('SELECT id, name, created_at FROM hubs WHERE id = $1', [hubId]);
    return row && toHub(row);
  }

  async findHubByName(name: string): Promise<HubRecord | undefined> {
    const row = await this.#row(
      'SELECT id, name, created_at FROM hubs WHERE name = $1 ORDER BY created_at, id COLLATE "C" LIMIT 1',
      [name],
    );
    return row && toHub(row);
  }

  async lockHub(hubId: string): Promise<boolean> {
    return (await this.#row('SELECT 1 FROM hubs WHERE id = $1 FOR UPDATE', [hubId])) !== undefined;
  }

  async hubRoleOf(hubId: string, userId: string): Promise<HubRole | undefined> {
    const row = await this.#row('SELECT hub_role FROM hub_members WHERE hub_id = $1 AND user_id = $2', [
      hubId,
      userId,
    ]);
    return row?.hub_role as HubRole | undefined;
  }

  async putHubMember(hubId: string, member: HubMemberRecord, replaceRole: boolean): Promise<void> {
    await this.#on.query(
      `INSERT INTO hub_members (hub_id, user_id, hub_role, added_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (hub_id, user_id) ${replaceRole ? 'DO UPDATE SET hub_role = excluded.hub_role' : 'DO NOTHING'}`,
      [hubId, member.userId, member.hubRole, member.addedAt],
    );
  }

  async setHubRole(hubId: string, userId: string, hubRole: HubRole): Promise<boolean> {
    return (
      (await this.#count('UPDATE hub_members SET hub_role = $1 WHERE hub_id = $2 AND user_id = $3', [
        hubRole,
        hubId,
        userId,
      ])) > 0
    );
  }

  async removeHubMember(hubId: string, userId: string): Promise<boolean> {
    return (
      (await this.#count('DELETE FROM hub_members WHERE hub_id = $1 AND user_id = $2', [hubId, userId])) > 0
    );
  }

  async countHubAdmins(hubId: string): Promise<number> {
    const row = await this.#row(
      "SELECT count(*) AS n FROM hub_members WHERE hub_id = $1 AND hub_role = 'admin'",
      [hubId],
    );
    return Number(row?.n);
  }

  async hubMembers(hubId: string): Promise<HubMemberRecord[]> {
    return (
      await this.#rows(
        'SELECT user_id, hub_role, added_at FROM hub_members WHERE hub_id = $1 ORDER BY added_at, user_id COLLATE "C"',
        [hubId],
      )
    ).map(toHubMember);
  }

  async namedHubMembers(hubId: string): Promise<NamedHubMemberRecord[]> {
    return (
      await this.#rows(
        `SELECT hub_members.user_id, hub_members.hub_role, hub_members.added_at, users.email, users.display_name
         FROM hub_members JOIN users ON users.id = hub_members.user_id
         WHERE hub_members.hub_id = $1 ORDER BY hub_members.added_at, hub_members.user_id COLLATE "C"`,
        [hubId],
      )
    ).map(toNamedHubMember);
  }

  async hubsOf(userId: string): Promise<(HubRecord & { hubRole: HubRole })[]> {
    return (
      await this.#rows(
        `SELECT hubs.id, hubs.name, hubs.created_at, hub_members.hub_role FROM hubs
         JOIN hub_members ON hub_members.hub_id = hubs.id WHERE hub_members.user_id = $1
         ORDER BY hubs.name COLLATE "C", hubs.id COLLATE "C"`,
        [userId],
      )
    ).map((row) => ({ ...toHub(row), hubRole: row.hub_role as HubRole }));
  }

  async isHubAdminOf(adminId: string, memberId: string): Promise<boolean> {
    return (
      (await this.#row(
        `SELECT 1 FROM hub_members admin JOIN hub_members member ON member.hub_id = admin.hub_id
         WHERE admin.user_id = $1 AND admin.hub_role = 'admin' AND member.user_id = $2 LIMIT 1`,
        [adminId, memberId],
      )) !== undefined
    );
  }

  async datasetSettings(datasetId: string): Promise<DatasetSettingsRecord | undefined> {
    const row = await this.#row('SELECT * FROM dataset_settings WHERE dataset_id = $1', [datasetId]);
    return row && toSettings(row);
  }

  async createDatasetSettings(settings: DatasetSettingsRecord): Promise<boolean> {
    return (
      (await this.#count(
        `INSERT INTO dataset_settings (dataset_id, visibility, proposals, proposable_fields, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (dataset_id) DO NOTHING`,
        [
          settings.datasetId,
          settings.visibility,
          settings.proposals,
          JSON.stringify(settings.proposableFields),
          settings.createdBy,
          settings.createdAt,
          settings.updatedAt,
        ],
      )) > 0
    );
  }

  async updateDatasetSettings(
    datasetId: string,
    settings: Pick<DatasetSettingsRecord, 'visibility' | 'proposals' | 'proposableFields'>,
    at: number,
  ): Promise<void> {
    await this.#on.query(
      `UPDATE dataset_settings SET visibility = $1, proposals = $2, proposable_fields = $3, updated_at = $4
       WHERE dataset_id = $5`,
      [settings.visibility, settings.proposals, JSON.stringify(settings.proposableFields), at, datasetId],
    );
  }

  async lockDataset(datasetId: string): Promise<boolean> {
    return (
      (await this.#row('SELECT 1 FROM dataset_settings WHERE dataset_id = $1 FOR UPDATE', [datasetId])) !==
      undefined
    );
  }

  async roleOf(datasetId: string, subject: SubjectRef): Promise<DatasetRole | undefined> {
    const row = await this.#row(
      'SELECT role FROM dataset_roles WHERE dataset_id = $1 AND subject_kind = $2 AND subject_id = $3',
      [datasetId, subject.kind, subject.id],
    );
    return row?.role as DatasetRole | undefined;
  }

  async rolesReaching(
    userId: string,
    datasetId?: string,
  ): Promise<{ datasetId: string; role: DatasetRole }[]> {
    const rows = await this.#rows(
      `SELECT dataset_id, role FROM dataset_roles
       WHERE ($2::text IS NULL OR dataset_id = $2)
         AND ((subject_kind = 'user' AND subject_id = $1)
           OR (subject_kind = 'hub' AND subject_id IN (SELECT hub_id FROM hub_members WHERE user_id = $1)))`,
      [userId, datasetId ?? null],
    );
    return rows.map((row) => ({ datasetId: row.dataset_id as string, role: row.role as DatasetRole }));
  }

  async grantsOn(datasetId: string): Promise<GrantRecord[]> {
    return (
      await this.#rows(
        `SELECT r.*, coalesce(u.display_name, h.name) AS name, u.email
         FROM dataset_roles r
         LEFT JOIN users u ON r.subject_kind = 'user' AND u.id = r.subject_id
         LEFT JOIN hubs h ON r.subject_kind = 'hub' AND h.id = r.subject_id
         WHERE r.dataset_id = $1 ORDER BY r.granted_at, r.subject_kind COLLATE "C", r.subject_id COLLATE "C"`,
        [datasetId],
      )
    ).map(toGrant);
  }

  async putGrant(grant: GrantRecord): Promise<void> {
    await this.#on.query(
      `INSERT INTO dataset_roles (dataset_id, subject_kind, subject_id, role, granted_by, granted_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (dataset_id, subject_kind, subject_id)
       DO UPDATE SET role = excluded.role, granted_by = excluded.granted_by, granted_at = excluded.granted_at`,
      [grant.datasetId, grant.subject.kind, grant.subject.id, grant.role, grant.grantedBy, grant.grantedAt],
    );
  }

  async deleteGrant(datasetId: string, subject: SubjectRef): Promise<boolean> {
    return (
      (await this.#count(
        'DELETE FROM dataset_roles WHERE dataset_id = $1 AND subject_kind = $2 AND subject_id = $3',
        [datasetId, subject.kind, subject.id],
      )) > 0
    );
  }

  async countOwners(datasetId: string, subjectKind?: SubjectRef['kind']): Promise<number> {
    const row = await this.#row(
      `SELECT count(*) AS n FROM dataset_roles
       WHERE dataset_id = $1 AND role = 'owner' AND ($2::text IS NULL OR subject_kind = $2)`,
      [datasetId, subjectKind ?? null],
    );
    return Number(row?.n);
  }

  async createInvite(invite: InviteRecord): Promise<void> {
    await this.#on.query(
      `INSERT INTO invites (id, token_hash, dataset_id, role, created_by, created_at, expires_at, max_uses, uses, revoked_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        invite.id,
        invite.tokenHash,
        invite.datasetId,
        invite.role,
        invite.createdBy,
        invite.createdAt,
        invite.expiresAt,
        invite.maxUses,
        invite.uses,
        invite.revokedAt,
      ],
    );
  }

  async findInvite(tokenHash: string, lock = false): Promise<InviteRecord | undefined> {
    const row = await this.#row(
      `SELECT * FROM invites WHERE token_hash = $1${lock && this.#inTransaction ? ' FOR UPDATE' : ''}`,
      [tokenHash],
    );
    return row && toInvite(row);
  }

  async getInvite(inviteId: string): Promise<InviteRecord | undefined> {
    const row = await this.#row('SELECT * FROM invites WHERE id = $1', [inviteId]);
    return row && toInvite(row);
  }

  async invitesOn(datasetId: string): Promise<InviteRecord[]> {
    return (
      await this.#rows('SELECT * FROM invites WHERE dataset_id = $1 ORDER BY created_at, id COLLATE "C"', [
        datasetId,
      ])
    ).map(toInvite);
  }

  async revokeInvite(inviteId: string, at: number): Promise<void> {
    await this.#on.query('UPDATE invites SET revoked_at = coalesce(revoked_at, $1) WHERE id = $2', [
      at,
      inviteId,
    ]);
  }

  async inviteUsedFor(inviteId: string, subject: SubjectRef): Promise<boolean> {
    return (
      (await this.#row(
        'SELECT 1 FROM invite_uses WHERE invite_id = $1 AND subject_kind = $2 AND subject_id = $3',
        [inviteId, subject.kind, subject.id],
      )) !== undefined
    );
  }

  spendInvite(inviteId: string, subject: SubjectRef, usedBy: string, at: number): Promise<boolean> {
    return this.#atomically(async (tx) => {
      // Conditional: even without the row lock, a use past max_uses is never counted.
      const spent = await tx.#count('UPDATE invites SET uses = uses + 1 WHERE id = $1 AND uses < max_uses', [
        inviteId,
      ]);
      if (spent === 0) return false;
      await tx.#on.query(
        'INSERT INTO invite_uses (invite_id, subject_kind, subject_id, used_by, used_at) VALUES ($1, $2, $3, $4, $5)',
        [inviteId, subject.kind, subject.id, usedBy, at],
      );
      return true;
    });
  }

  async createHubInvite(invite: HubInviteRecord): Promise<void> {
    await this.#on.query(
      `INSERT INTO hub_invites (id, token_hash, hub_id, created_by, created_at, expires_at, max_uses, uses, revoked_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        invite.id,
        invite.tokenHash,
        invite.hubId,
        invite.createdBy,
        invite.createdAt,
        invite.expiresAt,
        invite.maxUses,
        invite.uses,
        invite.revokedAt,
      ],
    );
  }

  async findHubInvite(tokenHash: string, lock = false): Promise<HubInviteRecord | undefined> {
    const row = await this.#row(
      `SELECT * FROM hub_invites WHERE token_hash = $1${lock && this.#inTransaction ? ' FOR UPDATE' : ''}`,
      [tokenHash],
    );
    return row && toHubInvite(row);
  }

  async spendHubInvite(inviteId: string): Promise<boolean> {
    return (
      (await this.#count('UPDATE hub_invites SET uses = uses + 1 WHERE id = $1 AND uses < max_uses', [
        inviteId,
      ])) > 0
    );
  }

  replacePasswordReset(reset: PasswordResetRecord): Promise<void> {
    return this.#atomically(async (tx) => {
      await tx.#on.query('DELETE FROM password_resets WHERE user_id = $1 AND used_at IS NULL', [
        reset.userId,
      ]);
      await tx.#on.query(
        `INSERT INTO password_resets (token_hash, user_id, created_by, created_at, expires_at, used_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [reset.tokenHash, reset.userId, reset.createdBy, reset.createdAt, reset.expiresAt, reset.usedAt],
      );
    });
  }

  async findPasswordReset(tokenHash: string): Promise<PasswordResetRecord | undefined> {
    const row = await this.#row('SELECT * FROM password_resets WHERE token_hash = $1', [tokenHash]);
    return row && toPasswordReset(row);
  }

  async spendPasswordReset(tokenHash: string, at: number): Promise<boolean> {
    return (
      (await this.#count(
        'UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1',
        [at, tokenHash],
      )) === 1
    );
  }

  async instanceSecret(name: string, candidate: Buffer, at: number): Promise<Buffer> {
    await this.#on.query(
      'INSERT INTO instance_secrets (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING',
      [name, candidate, at],
    );
    return (await this.#row('SELECT value FROM instance_secrets WHERE name = $1', [name]))?.value as Buffer;
  }
}

function userColumns(user: UserRecord): unknown[] {
  return [user.id, user.email, user.displayName, user.passwordHash, user.instanceRole, user.createdAt];
}

/** The access store on `db` (its tables come with its migrations); closing it leaves `db` open. */
export class PostgresAccessStore extends PostgresAccessQueries implements AccessStore {
  readonly kind = 'postgres' as const;
  readonly #db: PostgresDatabase;

  constructor(db: PostgresDatabase) {
    super(db.pool);
    this.#db = db;
  }

  transaction<T>(work: (tx: AccessQueries) => Promise<T>): Promise<T> {
    const { pool } = this.#db;
    return inTransaction(pool, (client) => work(new PostgresAccessQueries(pool, client)));
  }

  async close(): Promise<void> {}
}
