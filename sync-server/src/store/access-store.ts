/**
 * Where accounts, sessions, hubs, roles, invites, password resets, dataset settings and instance
 * secrets are kept: one asynchronous interface, a SQLite and a PostgreSQL backend. Invariants:
 * the store keeps no rules (../access decides who may do what); what `transaction` runs commits
 * whole or not at all, and the `lock…` methods serialise writers of one invite, hub or dataset
 * across processes until the transaction ends; emails and token hashes are unique.
 */

export type InstanceRole = 'owner' | 'member';
export type SessionKind = 'cookie' | 'bearer';
export type HubRole = 'admin' | 'member';
export type DatasetRole = 'reader' | 'editor' | 'moderator' | 'owner';
export type Visibility = 'public' | 'private';

export interface UserRecord {
  id: string;
  /** Already normalised (../access/users.ts). */
  email: string;
  displayName: string;
  instanceRole: InstanceRole;
  createdAt: number;
  passwordHash: string;
}

export interface SessionRecord {
  tokenHash: string;
  userId: string;
  kind: SessionKind;
  label: string;
  createdAt: number;
  expiresAt: number;
  idleMs: number | null;
  lastUsedAt: number;
}

export interface HubRecord {
  id: string;
  name: string;
  createdAt: number;
}

export interface HubMemberRecord {
  userId: string;
  hubRole: HubRole;
  addedAt: number;
}

export interface NamedHubMemberRecord extends HubMemberRecord {
  email: string;
  displayName: string;
}

export interface DatasetSettingsRecord {
  datasetId: string;
  visibility: Visibility;
  proposals: 'open' | 'closed';
  proposableFields: string[];
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

export type SubjectRef = { kind: 'user'; id: string } | { kind: 'hub'; id: string };

export interface GrantRecord {
  datasetId: string;
  subject: SubjectRef;
  role: DatasetRole;
  grantedBy: string;
  grantedAt: number;
  /** In lists: the person's display name or the hub's name, when they still exist. */
  name?: string;
  /** In lists: the person's email. */
  email?: string;
}

export interface InviteRecord {
  id: string;
  tokenHash: string;
  datasetId: string;
  role: Exclude<DatasetRole, 'owner'>;
  createdBy: string;
  createdAt: number;
  expiresAt: number;
  maxUses: number;
  uses: number;
  revokedAt: number | null;
}

export interface HubInviteRecord {
  id: string;
  tokenHash: string;
  hubId: string;
  createdBy: string;
  createdAt: number;
  expiresAt: number;
  maxUses: number;
  uses: number;
  revokedAt: number | null;
}

export interface PasswordResetRecord {
  tokenHash: string;
  userId: string;
  createdBy: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

/** Every read and write, usable alone or inside `transaction`. */
export interface AccessQueries {
  // Accounts
  getUser(userId: string): Promise<UserRecord | undefined>;
  findUserByEmail(email: string): Promise<UserRecord | undefined>;
  countUsers(): Promise<number>;
  /** The oldest account with instance role 'owner'. */
  firstOwner(): Promise<UserRecord | undefined>;
  /** False when the email is taken (the unique constraint decides between racers). */
  createUser(user: UserRecord): Promise<boolean>;
  /** Writes the user only while the instance has no account at all; false otherwise. */
  createFirstUser(user: UserRecord): Promise<boolean>;
  /** Removes an account made in this transaction that must not stay (its sessions go with it). */
  deleteUser(userId: string): Promise<void>;
  /** `changedAt` null keeps the recorded change time (a rehash of the same password). */
  setPasswordHash(userId: string, passwordHash: string, changedAt: number | null): Promise<void>;

  // Sessions
  createSession(session: SessionRecord): Promise<void>;
  findSession(tokenHash: string): Promise<SessionRecord | undefined>;
  touchSession(tokenHash: string, at: number): Promise<void>;
  /** False when there was no such session. */
  endSession(tokenHash: string): Promise<boolean>;
  /** Ends every session of the user but `exceptTokenHash`; returns how many ended. */
  endSessionsOf(userId: string, exceptTokenHash?: string): Promise<number>;
  /** Removes sessions past their expiry or idle timeout at `now`. */
  pruneSessions(now: number): Promise<number>;

  // Hubs
  createHub(hub: HubRecord): Promise<void>;
  getHub(hubId: string): Promise<HubRecord | undefined>;
  /** The oldest hub with this exact name. */
  findHubByName(name: string): Promise<HubRecord | undefined>;
  /** Holds the hub's row until the transaction ends (no-op outside one); false when no such hub. */
  lockHub(hubId: string): Promise<boolean>;
  hubRoleOf(hubId: string, userId: string): Promise<HubRole | undefined>;
  /** Adds the member, or changes their hub role when `replaceRole` (else keeps it). */
  putHubMember(hubId: string, member: HubMemberRecord, replaceRole: boolean): Promise<void>;
  setHubRole(hubId: string, userId: string, hubRole: HubRole): Promise<boolean>;
  removeHubMember(hubId: string, userId: string): Promise<boolean>;
  countHubAdmins(hubId: string): Promise<number>;
  hubMembers(hubId: string): Promise<HubMemberRecord[]>;
  namedHubMembers(hubId: string): Promise<NamedHubMemberRecord[]>;
  hubsOf(userId: string): Promise<(HubRecord & { hubRole: HubRole })[]>;
  /** Whether `adminId` is an admin of a hub `memberId` belongs to. */
  isHubAdminOf(adminId: string, memberId: string): Promise<boolean>;

  // Dataset settings and roles
  datasetSettings(datasetId: string): Promise<DatasetSettingsRecord | undefined>;
  /** False when the dataset already has settings. */
  createDatasetSettings(settings: DatasetSettingsRecord): Promise<boolean>;
  updateDatasetSettings(
    datasetId: string,
    settings: Pick<DatasetSettingsRecord, 'visibility' | 'proposals' | 'proposableFields'>,
    at: number,
  ): Promise<void>;
  /** Holds the dataset's settings row until the transaction ends; false when none. */
  lockDataset(datasetId: string): Promise<boolean>;
  roleOf(datasetId: string, subject: SubjectRef): Promise<DatasetRole | undefined>;
  /** The person's own grants and their hubs' grants (every dataset, or only `datasetId`). */
  rolesReaching(userId: string, datasetId?: string): Promise<{ datasetId: string; role: DatasetRole }[]>;
  grantsOn(datasetId: string): Promise<GrantRecord[]>;
  /** Sets the subject's role on the dataset, replacing the one it had. */
  putGrant(grant: GrantRecord): Promise<void>;
  deleteGrant(datasetId: string, subject: SubjectRef): Promise<boolean>;
  countOwners(datasetId: string, subjectKind?: SubjectRef['kind']): Promise<number>;

  // Dataset invites
  createInvite(invite: InviteRecord): Promise<void>;
  /** With `lock`, holds the invite's row until the transaction ends. */
  findInvite(tokenHash: string, lock?: boolean): Promise<InviteRecord | undefined>;
  getInvite(inviteId: string): Promise<InviteRecord | undefined>;
  invitesOn(datasetId: string): Promise<InviteRecord[]>;
  revokeInvite(inviteId: string, at: number): Promise<void>;
  inviteUsedFor(inviteId: string, subject: SubjectRef): Promise<boolean>;
  /** Spends one use for the subject; false (nothing written) when the invite is used up. */
  spendInvite(inviteId: string, subject: SubjectRef, usedBy: string, at: number): Promise<boolean>;

  // Hub invites
  createHubInvite(invite: HubInviteRecord): Promise<void>;
  findHubInvite(tokenHash: string, lock?: boolean): Promise<HubInviteRecord | undefined>;
  /** Spends one use; false (nothing written) when used up. */
  spendHubInvite(inviteId: string): Promise<boolean>;

  // Password resets
  /** Stores the link and removes the account's earlier unused ones. */
  replacePasswordReset(reset: PasswordResetRecord): Promise<void>;
  findPasswordReset(tokenHash: string): Promise<PasswordResetRecord | undefined>;
  /** Marks the link used if it is unused and unexpired at `at`; false otherwise. */
  spendPasswordReset(tokenHash: string, at: number): Promise<boolean>;

  // Instance secrets
  /** The named secret; `candidate` is stored when there is none yet (the first writer wins). */
  instanceSecret(name: string, candidate: Buffer, at: number): Promise<Buffer>;
}

export interface AccessStore extends AccessQueries {
  readonly kind: 'sqlite' | 'postgres';
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws.
   * `work` must await only `tx` (never a slow hash or the network): the transaction holds locks.
   */
  transaction<T>(work: (tx: AccessQueries) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
