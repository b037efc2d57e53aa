/**
 * Accounts, sessions, hubs, roles, invites and dataset access settings for the sync server.
 * Every function takes its database, clock and randomness as parameters (see dependencies.ts);
 * they keep the rules and reach storage only through the access store (../store/access-store.ts).
 * README.md lists tables and rules.
 */
export {
  addressHasher,
  addressKey,
  hashAddress,
  instanceSecret,
} from './addresses.ts';
export {
  type DatasetSettings,
  DEFAULT_SETTINGS,
  datasetSettings,
  registerDataset,
  updateDatasetSettings,
} from './datasets.ts';
export {
  type AccessDependencies,
  AccessFault,
  type Clock,
  newId,
  type RandomSource,
  systemDependencies,
} from './dependencies.ts';
export {
  acceptHubInvite,
  acceptHubInviteWithNewAccount,
  createHubInvite,
  type HubInvite,
  isHubInviteToken,
} from './hub-invites.ts';
export {
  addHubMember,
  createHub,
  getHub,
  type Hub,
  type HubMember,
  type HubRole,
  hubMembers,
  hubRoleOf,
  hubsOf,
  type NamedHubMember,
  namedHubMembers,
  removeHubMember,
  setHubRole,
} from './hubs.ts';
export {
  acceptInvite,
  acceptInviteWithNewAccount,
  createInvite,
  INVITE_LIMITS,
  type Invite,
  type InviteRole,
  invitesOn,
  revokeInvite,
} from './invites.ts';
export {
  changePasswordLimited,
  createLoginGuards,
  DEFAULT_LOGIN_LIMITS,
  type LoginGuards,
  type LoginLimits,
  type SignInRequest,
  signIn,
} from './login.ts';
export { type Language, messageFor } from './messages.ts';
export {
  createPasswordReset,
  mayResetPasswordOf,
  passwordResetFor,
  RESET_LIFETIME_MS,
  redeemPasswordReset,
} from './password-resets.ts';
export {
  hashPassword,
  isAcceptablePassword,
  needsRehash,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  passwordLength,
  verifyNothing,
  verifyPassword,
} from './passwords.ts';
export {
  type Access,
  accessTo,
  effectiveRole,
  higherRole,
  isRole,
  mayManageDataset,
  ROLES,
  type Role,
  roleRank,
  rolesOf,
  type Visibility,
} from './permissions.ts';
export {
  check,
  createLimiter,
  type Limit,
  type LimitAnswer,
  type LimiterStore,
  spend,
} from './rate-limits.ts';
export { type Failure, fail, type Issue, type Ok, type Result } from './result.ts';
export {
  datasetExists,
  type Grant,
  grantRole,
  grantsOn,
  revokeRole,
  roleOf,
  type Subject,
  writeGrant,
} from './roles.ts';
export { accessToRoom } from './room-access.ts';
export {
  clearedSessionCookie,
  createSession,
  hashToken,
  pruneExpiredSessions,
  revokeAllSessions,
  SESSION_COOKIE,
  SESSION_LIFETIMES,
  type Session,
  type SessionKind,
  sessionCookie,
  sessionFor,
  sessionPresented,
  sessionTokenFrom,
  signOut,
} from './sessions.ts';
export {
  type AdminEnvironment,
  changePassword,
  checkPassword,
  countUsers,
  createUser,
  ensureFirstOwner,
  findUserByEmail,
  firstOwner,
  getUser,
  type InstanceRole,
  insertUser,
  isEmail,
  type NewUser,
  normaliseEmail,
  prepareUser,
  resetPassword,
  type User,
} from './users.ts';
