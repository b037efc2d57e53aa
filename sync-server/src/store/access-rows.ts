/**
 * Rows of the access tables as both backends read them (snake_case columns; PostgreSQL's bigint
 * arrives as a string, hence `Number`) turned into the store's records, and back into the
 * columns the INSERT statements take. One place, so both backends read a row the same way.
 */
import type {
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
  UserRecord,
} from './access-store.ts';

type Row = Record<string, unknown>;
type Numeric = number | string;

const num = (value: unknown): number => Number(value as Numeric);
const numOrNull = (value: unknown): number | null => (value === null ? null : Number(value as Numeric));

export function toUser(row: Row): UserRecord {
  return {
    id: row.id as string,
    email: row.email as string,
    displayName: row.display_name as string,
    instanceRole: row.instance_role as UserRecord['instanceRole'],
    createdAt: num(row.created_at),
    passwordHash: row.password_hash as string,
  };
}

export function toSession(row: Row): SessionRecord {
  return {
    tokenHash: row.token_hash as string,
    userId: row.user_id as string,
    kind: row.kind as SessionRecord['kind'],
    label: row.label as string,
    createdAt: num(row.created_at),
    expiresAt: num(row.expires_at),
    idleMs: numOrNull(row.idle_ms),
    lastUsedAt: num(row.last_used_at),
  };
}

export function toHub(row: Row): HubRecord {
  return { id: row.id as string, name: row.name as string, createdAt: num(row.created_at) };
}

export function toHubMember(row: Row): HubMemberRecord {
  return { userId: row.user_id as string, hubRole: row.hub_role as HubRole, addedAt: num(row.added_at) };
}

export function toNamedHubMember(row: Row): NamedHubMemberRecord {
  return { ...toHubMember(row), email: row.email as string, displayName: row.display_name as string };
}

export function toSettings(row: Row): DatasetSettingsRecord {
  return {
    datasetId: row.dataset_id as string,
    visibility: row.visibility as DatasetSettingsRecord['visibility'],
    proposals: row.proposals as DatasetSettingsRecord['proposals'],
    proposableFields: JSON.parse(row.proposable_fields as string) as string[],
    createdBy: row.created_by as string,
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
  };
}

export function toGrant(row: Row): GrantRecord {
  return {
    datasetId: row.dataset_id as string,
    subject: { kind: row.subject_kind as 'user' | 'hub', id: row.subject_id as string },
    role: row.role as DatasetRole,
    grantedBy: row.granted_by as string,
    grantedAt: num(row.granted_at),
    ...(row.name !== null && row.name !== undefined ? { name: row.name as string } : {}),
    ...(row.email !== null && row.email !== undefined ? { email: row.email as string } : {}),
  };
}

/** The columns both kinds of invite share. */
function inviteTerms(row: Row): Omit<HubInviteRecord, 'hubId'> {
  return {
    id: row.id as string,
    tokenHash: row.token_hash as string,
    createdBy: row.created_by as string,
    createdAt: num(row.created_at),
    expiresAt: num(row.expires_at),
    maxUses: num(row.max_uses),
    uses: num(row.uses),
    revokedAt: numOrNull(row.revoked_at),
  };
}

export function toInvite(row: Row): InviteRecord {
  return {
    ...inviteTerms(row),
    datasetId: row.dataset_id as string,
    role: row.role as InviteRecord['role'],
  };
}

export function toHubInvite(row: Row): HubInviteRecord {
  return { ...inviteTerms(row), hubId: row.hub_id as string };
}

export function toPasswordReset(row: Row): PasswordResetRecord {
  return {
    tokenHash: row.token_hash as string,
    userId: row.user_id as string,
    createdBy: row.created_by as string,
    createdAt: num(row.created_at),
    expiresAt: num(row.expires_at),
    usedAt: numOrNull(row.used_at),
  };
}
