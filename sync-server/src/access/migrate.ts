/**
 * Creates every access table, in dependency order. Each module's `migrate` only runs
 * `CREATE … IF NOT EXISTS`, so calling this at every start is safe and cheap.
 */
import type { Database } from 'better-sqlite3';
import { migrate as migrateAddresses } from './addresses.ts';
import { migrate as migrateDatasets } from './datasets.ts';
import { migrate as migrateHubInvites } from './hub-invites.ts';
import { migrate as migrateHubs } from './hubs.ts';
import { migrate as migrateInvites } from './invites.ts';
import { migrate as migratePasswordResets } from './password-resets.ts';
import { migrate as migrateRateLimits } from './rate-limits.ts';
import { migrate as migrateRoles } from './roles.ts';
import { migrate as migrateSessions } from './sessions.ts';
import { migrate as migrateUsers } from './users.ts';

export function migrateAccess(db: Database): void {
  db.transaction(() => {
    migrateAddresses(db);
    migrateUsers(db);
    migrateSessions(db);
    migrateHubs(db);
    migrateDatasets(db);
    migrateRoles(db);
    migrateInvites(db);
    migrateHubInvites(db);
    migratePasswordResets(db);
    migrateRateLimits(db);
  })();
}
