/**
 * AccessStore in the data folder's SQLite file. Invariants: one connection, so a transaction is
 * BEGIN IMMEDIATE … COMMIT on it, and while one is open every other call waits for it to end
 * (a call made between two of its awaits must not land inside it); statements are prepared once.
 * Its awaits only wait for this connection's answers, so a transaction ends within one turn of
 * the event loop; the access rules refuse by committing, never by rolling back, so another
 * module's write on the shared connection in that turn is never undone with it.
 */

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
  PasswordResetRecord,
  SessionRecord,
  SubjectRef,
  UserRecord,
} from '../access-store.ts';
import { migrateAccessTables } from './sqlite-access-tables.ts';
import type { SqliteDatabase } from './sqlite-database.ts';
import { statement } from './statements.ts';

type Row = Record<string, unknown>;

/** The queries, run at once on the connection (the store decides when). */
class SqliteAccessQueries implements AccessQueries {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  #get(sql: string, ...params: unknown[]): Row | undefined {
    return statement(this.#db, sql).get(...params) as Row | undefined;
  }

  #all(sql: string, ...params: unknown[]): Row[] {
    return statement(this.#db, sql).all(...params) as Row[];
  }

  #run(sql: string, ...params: unknown[]): number {
    return statement(this.#db, sql).run(...params).changes;
  }

  async getUser(userId: string): Promise<UserRecord | undefined> {
    const row = this.#get('SELECT * FROM users WHERE id = ?', userId);
    return row && toUser(row);
  }

  async findUserByEmail(email: string): Promise<UserRecord | undefined> {
    const row = this.#get('SELECT * FROM users WHERE email = ?', email);
    return row && toUser(row);
  }

  async countUsers(): Promise<number> {
    return this.#get('SELECT count(*) AS n FROM users')!.n as number;
  }

  async firstOwner(): Promise<UserRecord | undefined> {
    const row = this.#get(
      "SELECT * FROM users WHERE instance_role = 'owner' ORDER BY created_at, id LIMIT 1",
    );
    return row && toUser(row);
  }

  async createUser(user: UserRecord): Promise<boolean> {
    return (
      this.#run(
        `INSERT INTO users (id, email, display_name, password_hash, instance_role, created_at, password_changed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (email) DO NOTHING`,
        ...userColumns(user),
      ) > 0
    );
  }

  async createFirstUser(user: UserRecord): Promise<boolean> {
    // One statement: SQLite runs it alone, so two starts cannot both see an empty table.
    return (
      this.#run(
        `INSERT INTO users (id, email, display_name, password_hash, instance_role, created_at, password_changed_at)
         SELECT ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM users)`,
        ...userColumns(user),
      ) > 0
    );
  }

  async deleteUser(userId: string): Promise<void> {
    this.#run('DELETE FROM users WHERE id = ?', userId);
  }

  async setPasswordHash(userId: string, passwordHash: string, changedAt: number | null): Promise<void> {
    this.#run(
      'UPDATE users SET password_hash = ?, password_changed_at = coalesce(?, password_changed_at) WHERE id = ?',
      passwordHash,
      changedAt,
      userId,
    );
  }

  async createSession(session: SessionRecord): Promise<void> {
    this.#run(
      `INSERT INTO sessions (token_hash, user_id, kind, label, created_at, expires_at, idle_ms, last_used_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      session.tokenHash,
      session.userId,
      session.kind,
      session.label,
      session.createdAt,
      session.expiresAt,
      session.idleMs,
      session.lastUsedAt,
    );
  }

  async findSession(tokenHash: string): Promise<SessionRecord | undefined> {
    const row = this.#get('SELECT * FROM sessions WHERE token_hash = ?', tokenHash);
    return row && toSession(row);
  }

  async touchSession(tokenHash: string, at: number): Promise<void> {
    this.#run('UPDATE sessions SET last_used_at = ? WHERE token_hash = ?', at, tokenHash);
  }

  async endSession(tokenHash: string): Promise<boolean> {
    return this.#run('DELETE FROM sessions WHERE token_hash = ?', tokenHash) > 0;
  }

  async endSessionsOf(userId: string, exceptTokenHash?: string): Promise<number> {
    return this.#run(
      'DELETE FROM sessions WHERE user_id = ? AND token_hash != ?',
      userId,
      exceptTokenHash ?? '',
    );
  }

  async pruneSessions(now: number): Promise<number> {
    return this.#run(
      'DELETE FROM sessions WHERE expires_at <= ? OR (idle_ms IS NOT NULL AND last_used_at + idle_ms <= ?)',
      now,
      now,
    );
  }

  async createHub(hub: HubRecord): Promise<void> {
    this.#run('INSERT INTO hubs (id, name, created_at) VALUES (?, ?, ?)', hub.id, hub.name, hub.createdAt);
  }

  async getHub(hubId: string): Promise<HubRecord | undefined> {
    const row = this.#get('SELECT id, name, created_at FROM hubs WHERE id = ?', hubId);
    return row && toHub(row);
  }

  async findHubByName(name: string): Promise<HubRecord | undefined> {
    const row = this.#get(
      'SELECT id, name, created_at FROM hubs WHERE name = ? ORDER BY created_at, id LIMIT 1',
      name,
    );
    return row && toHub(row);
  }

  async lockHub(hubId: string): Promise<boolean> {
    // BEGIN IMMEDIATE already holds the only write lock.
    return (await this.getHub(hubId)) !== undefined;
  }

  async hubRoleOf(hubId: string, userId: string): Promise<HubRole | undefined> {
    return this.#get('SELECT hub_role FROM hub_members WHERE hub_id = ? AND user_id = ?', hubId, userId)
      ?.hub_role as HubRole | undefined;
  }

  async putHubMember(hubId: string, member: HubMemberRecord, replaceRole: boolean): Promise<void> {
    this.#run(
      replaceRole
        ? `INSERT INTO hub_members (hub_id, user_id, hub_role, added_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (hub_id, user_id) DO UPDATE SET hub_role = excluded.hub_role`
        : `INSERT INTO hub_members (hub_id, user_id, hub_role, added_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (hub_id, user_id) DO NOTHING`,
      hubId,
      member.userId,
      member.hubRole,
      member.addedAt,
    );
  }

  async setHubRole(hubId: string, userId: string, hubRole: HubRole): Promise<boolean> {
    return (
      this.#run(
        'UPDATE hub_members SET hub_role = ? WHERE hub_id = ? AND user_id = ?',
        hubRole,
        hubId,
        userId,
      ) > 0
    );
  }

  async removeHubMember(hubId: string, userId: string): Promise<boolean> {
    return this.#run('DELETE FROM hub_members WHERE hub_id = ? AND user_id = ?', hubId, userId) > 0;
  }

  async countHubAdmins(hubId: string): Promise<number> {
    return this.#get("SELECT count(*) AS n FROM hub_members WHERE hub_id = ? AND hub_role = 'admin'", hubId)!
      .n as number;
  }

  async hubMembers(hubId: string): Promise<HubMemberRecord[]> {
    return this.#all(
      'SELECT user_id, hub_role, added_at FROM hub_members WHERE hub_id = ? ORDER BY added_at, user_id',
      hubId,
    ).map(toHubMember);
  }

  async namedHubMembers(hubId: string) {
    return this.#all(
      `SELECT hub_members.user_id, hub_members.hub_role, hub_members.added_at, users.email, users.display_name
       FROM hub_members JOIN users ON users.id = hub_members.user_id
       WHERE hub_members.hub_id = ? ORDER BY hub_members.added_at, hub_members.user_id`,
      hubId,
    ).map(toNamedHubMember);
  }

  async hubsOf(userId: string) {
    return this.#all(
      `SELECT hubs.id, hubs.name, hubs.created_at, hub_members.hub_role FROM hubs
       JOIN hub_members ON hub_members.hub_id = hubs.id WHERE hub_members.user_id = ? ORDER BY hubs.name, hubs.id`,
      userId,
    ).map((row) => ({ ...toHub(row), hubRole: row.hub_role as HubRole }));
  }

  async isHubAdminOf(adminId: string, memberId: string): Promise<boolean> {
    return (
      this.#get(
        `SELECT 1 FROM hub_members admin JOIN hub_members member ON member.hub_id = admin.hub_id
         WHERE admin.user_id = ? AND admin.hub_role = 'admin' AND member.user_id = ?`,
        adminId,
        memberId,
      ) !== undefined
    );
  }

  async datasetSettings(datasetId: string): Promise<DatasetSettingsRecord | undefined> {
    const row = this.#get('SELECT * FROM dataset_settings WHERE dataset_id = ?', datasetId);
    return row && toSettings(row);
  }

  async createDatasetSettings(settings: DatasetSettingsRecord): Promise<boolean> {
    return (
      this.#run(
        `INSERT INTO dataset_settings (dataset_id, visibility, proposals, proposable_fields, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dataset_id) DO NOTHING`,
        settings.datasetId,
        settings.visibility,
        settings.proposals,
        JSON.stringify(settings.proposableFields),
        settings.createdBy,
        settings.createdAt,
        settings.updatedAt,
      ) > 0
    );
  }

  async updateDatasetSettings(
    datasetId: string,
    settings: Pick<DatasetSettingsRecord, 'visibility' | 'proposals' | 'proposableFields'>,
    at: number,
  ): Promise<void> {
    this.#run(
      'UPDATE dataset_settings SET visibility = ?, proposals = ?, proposable_fields = ?, updated_at = ? WHERE dataset_id = ?',
      settings.visibility,
      settings.proposals,
      JSON.stringify(settings.proposableFields),
      at,
      datasetId,
    );
  }

  async lockDataset(datasetId: string): Promise<boolean> {
    return this.#get('SELECT 1 FROM dataset_settings WHERE dataset_id = ?', datasetId) !== undefined;
  }

  async roleOf(datasetId: string, subject: SubjectRef): Promise<DatasetRole | undefined> {
    return this.#get(
      'SELECT role FROM dataset_roles WHERE dataset_id = ? AND subject_kind = ? AND subject_id = ?',
      datasetId,
      subject.kind,
      subject.id,
    )?.role as DatasetRole | undefined;
  }

  async rolesReaching(userId: string, datasetId?: string) {
    const reach = `((subject_kind = 'user' AND subject_id = ?)
      OR (subject_kind = 'hub' AND subject_id IN (SELECT hub_id FROM hub_members WHERE user_id = ?)))`;
    const rows =
      datasetId === undefined
        ? this.#all(`SELECT dataset_id, role FROM dataset_roles WHERE ${reach}`, userId, userId)
        : this.#all(
            `SELECT dataset_id, role FROM dataset_roles WHERE dataset_id = ? AND ${reach}`,
            datasetId,
            userId,
            userId,
          );
    return rows.map((row) => ({ datasetId: row.dataset_id as string, role: row.role as DatasetRole }));
  }

  async grantsOn(datasetId: string): Promise<GrantRecord[]> {
    return this.#all(
      `SELECT r.*, coalesce(u.display_name, h.name) AS name, u.email
       FROM dataset_roles r
       LEFT JOIN users u ON r.subject_kind = 'user' AND u.id = r.subject_id
       LEFT JOIN hubs h ON r.subject_kind = 'hub' AND h.id = r.subject_id
       WHERE r.dataset_id = ? ORDER BY r.granted_at, r.subject_kind, r.subject_id`,
      datasetId,
    ).map(toGrant);
  }

  async putGrant(grant: GrantRecord): Promise<void> {
    this.#run(
      `INSERT INTO dataset_roles (dataset_id, subject_kind, subject_id, role, granted_by, granted_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (dataset_id, subject_kind, subject_id)
       DO UPDATE SET role = excluded.role, granted_by = excluded.granted_by, granted_at = excluded.granted_at`,
      grant.datasetId,
      grant.subject.kind,
      grant.subject.id,
      grant.role,
      grant.grantedBy,
      grant.grantedAt,
    );
  }

  async deleteGrant(datasetId: string, subject: SubjectRef): Promise<boolean> {
    return (
      this.#run(
        'DELETE FROM dataset_roles WHERE dataset_id = ? AND subject_kind = ? AND subject_id = ?',
        datasetId,
        subject.kind,
        subject.id,
      ) > 0
    );
  }

  async countOwners(datasetId: string, subjectKind?: SubjectRef['kind']): Promise<number> {
    const row =
      subjectKind === undefined
        ? this.#get(
            "SELECT count(*) AS n FROM dataset_roles WHERE dataset_id = ? AND role = 'owner'",
            datasetId,
          )
        : this.#get(
            "SELECT count(*) AS n FROM dataset_roles WHERE dataset_id = ? AND subject_kind = ? AND role = 'owner'",
            datasetId,
            subjectKind,
          );
    return row!.n as number;
  }

  async createInvite(invite: InviteRecord): Promise<void> {
    this.#run(
      `INSERT INTO invites (id, token_hash, dataset_id, role, created_by, created_at, expires_at, max_uses, uses, revoked_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
    );
  }

  async findInvite(tokenHash: string): Promise<InviteRecord | undefined> {
    const row = this.#get('SELECT * FROM invites WHERE token_hash = ?', tokenHash);
    return row && toInvite(row);
  }

  async getInvite(inviteId: string): Promise<InviteRecord | undefined> {
    const row = this.#get('SELECT * FROM invites WHERE id = ?', inviteId);
    return row && toInvite(row);
  }

  async invitesOn(datasetId: string): Promise<InviteRecord[]> {
    return this.#all('SELECT * FROM invites WHERE dataset_id = ? ORDER BY created_at, id', datasetId).map(
      toInvite,
    );
  }

  async revokeInvite(inviteId: string, at: number): Promise<void> {
    this.#run('UPDATE invites SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?', at, inviteId);
  }

  async inviteUsedFor(inviteId: string, subject: SubjectRef): Promise<boolean> {
    return (
      this.#get(
        'SELECT 1 FROM invite_uses WHERE invite_id = ? AND subject_kind = ? AND subject_id = ?',
        inviteId,
        subject.kind,
        subject.id,
      ) !== undefined
    );
  }

  async spendInvite(inviteId: string, subject: SubjectRef, usedBy: string, at: number): Promise<boolean> {
    if (this.#run('UPDATE invites SET uses = uses + 1 WHERE id = ? AND uses < max_uses', inviteId) === 0)
      return false;
    this.#run(
      'INSERT INTO invite_uses (invite_id, subject_kind, subject_id, used_by, used_at) VALUES (?, ?, ?, ?, ?)',
      inviteId,
      subject.kind,
      subject.id,
      usedBy,
      at,
    );
    return true;
  }

  async createHubInvite(invite: HubInviteRecord): Promise<void> {
    this.#run(
      `INSERT INTO hub_invites (id, token_hash, hub_id, created_by, created_at, expires_at, max_uses, uses, revoked_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      invite.id,
      invite.tokenHash,
      invite.hubId,
      invite.createdBy,
      invite.createdAt,
      invite.expiresAt,
      invite.maxUses,
      invite.uses,
      invite.revokedAt,
    );
  }

  async findHubInvite(tokenHash: string): Promise<HubInviteRecord | undefined> {
    const row = this.#get('SELECT * FROM hub_invites WHERE token_hash = ?', tokenHash);
    return row && toHubInvite(row);
  }

  async spendHubInvite(inviteId: string): Promise<boolean> {
    return this.#run('UPDATE hub_invites SET uses = uses + 1 WHERE id = ? AND uses < max_uses', inviteId) > 0;
  }

  async replacePasswordReset(reset: PasswordResetRecord): Promise<void> {
    this.#run('DELETE FROM password_resets WHERE user_id = ? AND used_at IS NULL', reset.userId);
    this.#run(
      'INSERT INTO password_resets (token_hash, user_id, created_by, created_at, expires_at, used_at) VALUES (?, ?, ?, ?, ?, ?)',
      reset.tokenHash,
      reset.userId,
      reset.createdBy,
      reset.createdAt,
      reset.expiresAt,
      reset.usedAt,
    );
  }

  async findPasswordReset(tokenHash: string): Promise<PasswordResetRecord | undefined> {
    const row = this.#get('SELECT * FROM password_resets WHERE token_hash = ?', tokenHash);
    return row && toPasswordReset(row);
  }

  async spendPasswordReset(tokenHash: string, at: number): Promise<boolean> {
    return (
      this.#run(
        'UPDATE password_resets SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?',
        at,
        tokenHash,
        at,
      ) === 1
    );
  }

  async instanceSecret(name: string, candidate: Buffer, at: number): Promise<Buffer> {
    this.#run(
      'INSERT INTO instance_secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING',
      name,
      candidate,
      at,
    );
    return this.#get('SELECT value FROM instance_secrets WHERE name = ?', name)!.value as Buffer;
  }
}

function userColumns(user: UserRecord): unknown[] {
  return [
    user.id,
    user.email,
    user.displayName,
    user.passwordHash,
    user.instanceRole,
    user.createdAt,
    user.createdAt,
  ];
}

/**
 * The access store on `db` (the data folder's connection, shared with the update log), its
 * tables created if missing. Closing it leaves `db` open: its owner closes it.
 */
export function openSqliteAccessStore(db: SqliteDatabase): AccessStore {
  migrateAccessTables(db);
  const queries = new SqliteAccessQueries(db);
  let busy: Promise<void> | null = null;
  const store = {
    kind: 'sqlite' as const,
    async transaction<T>(work: (tx: AccessQueries) => Promise<T>): Promise<T> {
      // The check and the claim run in one synchronous step after the wait, so two callers
      // woken together cannot both claim.
      while (busy) await busy;
      let release = () => {};
      busy = new Promise((resolve) => {
        release = resolve;
      });
      try {
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await work(queries);
          db.exec('COMMIT');
          return result;
        } catch (error) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw error;
        }
      } finally {
        busy = null;
        release();
      }
    },
    async close() {},
  };
  // Every query outside a transaction waits for the open one to end.
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property in target) return Reflect.get(target, property, receiver);
      const method = Reflect.get(queries, property) as unknown;
      if (typeof method !== 'function') return method;
      return async (...args: unknown[]) => {
        while (busy) await busy;
        return (method as (...a: unknown[]) => unknown).apply(queries, args);
      };
    },
  }) as unknown as AccessStore;
}
