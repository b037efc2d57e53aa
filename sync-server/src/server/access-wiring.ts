/**
 * Wires ../access and ../proposals into the running server: migrations, the first owner, dataset
 * settings for datasets the server made, the websocket authorizer, the intake's schema lookup.
 * Invariants: every dataset in the registry has a dataset_settings row once this has run; a
 * proposal stored reaches its pending document whenever that document is loaded (pending-delivery.ts).
 */
import type { IncomingMessage } from 'node:http';
import { readSchema } from '@datapatch/core';
import { roomName } from '@datapatch/protocol';
import { compileSchema, serverCustomChecks } from '@datapatch/schema/server';
import {
  type AccessDependencies,
  type AdminEnvironment,
  accessToRoom,
  createLoginGuards,
  ensureFirstOwner,
  firstOwner,
  type LimiterStore,
  type LoginGuards,
  sessionPresented,
  sessionTokenFrom,
  systemDependencies,
  writeGrant,
} from '../access/index.ts';
import { type Mailer, mailerFromUrl } from '../mail/mailer.ts';
import {
  createIntakeGuards,
  DEFAULT_INTAKE_LIMITS,
  type IntakeDependencies,
  type IntakeLimits,
  type RowValidator,
} from '../proposals/index.ts';
import type { Authorizer } from '../relay/authorizer.ts';
import type { AccessStore } from '../store/access-store.ts';
import type { SqliteDatabase } from '../store/sqlite/sqlite-database.ts';
import { sqliteLimiterStore } from '../store/sqlite/sqlite-rate-limits.ts';

export interface ServerAccess {
  deps: AccessDependencies;
  loginGuards: LoginGuards;
  intakeGuards: IntakeDependencies['guards'];
  /** Cookies get `Secure` when the server is reached over HTTPS (behind a proxy). */
  secureCookies: boolean;
  /** The instance's SMTP server (DATAPATCH_SMTP_URL), or null: links are then shown to copy. */
  mailer: Mailer | null;
  /** The address people reach the app at (DATAPATCH_PUBLIC_URL), for links in mails; else the request's. */
  publicUrl: string | null;
}

export interface AccessOptions {
  admin?: AdminEnvironment;
  /** Where rate limits count (several processes: Redis); default sign-in in SQLite, intake in memory. */
  limiterStore?: LimiterStore;
  intakeLimits?: Partial<IntakeLimits>;
  secureCookies?: boolean;
  smtpUrl?: string;
  smtpFrom?: string;
  publicUrl?: string;
}

/**
 * `store` keeps accounts, roles and settings (the data folder's SQLite or PostgreSQL); `db` is
 * the data folder's SQLite file, which keeps sign-in limits.
 */
export async function openAccess(
  store: AccessStore,
  db: SqliteDatabase,
  options: AccessOptions = {},
): Promise<ServerAccess> {
  // Sessions and hub memberships go when their user goes.
  db.pragma('foreign_keys = ON');
  const deps = systemDependencies(store);
  if (options.admin) {
    const first = await ensureFirstOwner(deps, options.admin);
    if (!first.ok) console.error(`datapatch: first owner not created (${first.error.code})`);
  }
  return {
    deps,
    loginGuards: createLoginGuards(options.limiterStore ?? sqliteLimiterStore(db)),
    // In memory: a SQLite limiter would write (and fsync) twice per proposal outside the intake's
    // group commit. The windows restart with the process; the pending cap is read from the table.
    intakeGuards: createIntakeGuards(options.limiterStore ?? { kind: 'memory' }, {
      ...DEFAULT_INTAKE_LIMITS,
      ...options.intakeLimits,
    }),
    secureCookies: options.secureCookies ?? false,
    mailer: mailerFromUrl(options.smtpUrl, options.smtpFrom),
    publicUrl: options.publicUrl ?? null,
  };
}

/**
 * Datasets the server created itself (the demo, imports from the CLI) get settings: public,
 * proposals open on every field, owned by the first owner when there is one. Datasets that
 * already have settings keep them; an ownerless one gets the first owner once it exists.
 */
export async function ensureServerDatasets(
  deps: AccessDependencies,
  datasets: readonly { id: string; fields: readonly string[] }[],
): Promise<void> {
  const owner = (await firstOwner(deps.store))?.id ?? null;
  const now = deps.clock();
  await deps.store.transaction(async (tx) => {
    for (const { id, fields } of datasets) {
      // Already there (another process, an earlier start): kept as it is.
      await tx.createDatasetSettings({
        datasetId: id,
        visibility: 'public',
        proposals: 'open',
        proposableFields: [...new Set(fields)],
        createdBy: owner ?? 'datapatch-server',
        createdAt: now,
        updatedAt: now,
      });
      if (owner && (await tx.countOwners(id)) === 0) {
        await writeGrant(tx, deps.clock, {
          datasetId: id,
          subject: { kind: 'user', id: owner },
          role: 'owner',
          by: owner,
        });
      }
    }
  });
}

/** Field names of a validated document's schema. */
export function schemaFields(doc: import('yjs').Doc): string[] {
  return readSchema(doc).fields.map((field) => field.name);
}

/**
 * The websocket authorizer: the session from `Authorization`, the cookie or `?token=`, then
 * `accessToRoom`. A cookie sent with a foreign `Origin` (cross-site websocket hijacking) counts
 * as no session at all.
 */
export function roomAuthorizer(deps: AccessDependencies): Authorizer {
  return async (request: IncomingMessage, room: string) => {
    const url = new URL(request.url ?? '/', 'http://relay');
    const queryToken = url.searchParams.get('token');
    const found =
      queryToken !== null
        ? { token: queryToken, via: 'bearer' as const }
        : sessionTokenFrom({ authorization: request.headers.authorization, cookie: request.headers.cookie });
    let userId: string | null = null;
    if (found) {
      const origin = request.headers.origin;
      const crossSite =
        found.via === 'cookie' && origin !== undefined && !sameHost(origin, request.headers.host);
      if (!crossSite) userId = (await sessionPresented(deps, found))?.userId ?? null;
    }
    return accessToRoom(deps.store, userId, room);
  };
}

function sameHost(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * Compiled schemas per dataset, keyed by the schema's JSON so an edited schema is compiled
 * again. `load` reads the validated document's schema (through the relay).
 */
export function schemaCache(
  load: (validatedRoom: string) => Promise<unknown>,
): (datasetId: string) => Promise<RowValidator | undefined> {
  const compiled = new Map<string, { key: string; validator: RowValidator }>();
  return async (datasetId) => {
    const schema = await load(roomName(datasetId, 'validated'));
    if (!schema || typeof schema !== 'object') return undefined;
    const key = JSON.stringify(schema);
    const cached = compiled.get(datasetId);
    if (cached?.key === key) return cached.validator;
    const validator = compileSchema(schema as Parameters<typeof compileSchema>[0], {
      customChecks: serverCustomChecks,
    }) as RowValidator;
    compiled.set(datasetId, { key, validator });
    return validator;
  };
}

/**
 * The serve command's access settings from the environment: the first owner
 * (DATAPATCH_ADMIN_EMAIL / DATAPATCH_ADMIN_PASSWORD), proposal limits
 * (DATAPATCH_PROPOSALS_PER_ADDRESS per 10 min, DATAPATCH_PROPOSALS_PER_DATASET per hour,
 * DATAPATCH_INVALID_PROPOSALS_PER_ADDRESS refused ones per 10 min, DATAPATCH_MAX_PENDING_PER_ADDRESS), DATAPATCH_SECURE_COOKIES=1 behind HTTPS,
 * DATAPATCH_TRUST_PROXY=1 behind your own proxy, DATAPATCH_SMTP_URL / DATAPATCH_SMTP_FROM to mail
 * password reset links, DATAPATCH_PUBLIC_URL for the links in those mails, and DATAPATCH_INSECURE_OPEN_ACCESS=1 (tests
 * only: every room writable by anyone).
 */
export function accessFromEnvironment(env: NodeJS.ProcessEnv): {
  access: AccessOptions;
  trustProxy: boolean;
  openAccess: boolean;
} {
  const whole = (name: string): number | undefined => {
    const text = env[name];
    return text !== undefined && /^\d{1,9}$/.test(text) ? Number(text) : undefined;
  };
  const limits: Partial<IntakeLimits> = {};
  const perAddress = whole('DATAPATCH_PROPOSALS_PER_ADDRESS');
  const perDataset = whole('DATAPATCH_PROPOSALS_PER_DATASET');
  const maxPending = whole('DATAPATCH_MAX_PENDING_PER_ADDRESS');
  const invalid = whole('DATAPATCH_INVALID_PROPOSALS_PER_ADDRESS');
  if (perAddress !== undefined) limits.perAddress = { points: perAddress, durationSeconds: 10 * 60 };
  if (perDataset !== undefined) limits.perDataset = { points: perDataset, durationSeconds: 60 * 60 };
  if (maxPending !== undefined) limits.maxPendingPerAddress = maxPending;
  if (invalid !== undefined)
    limits.invalidPerAddress = { ...DEFAULT_INTAKE_LIMITS.invalidPerAddress, points: invalid };
  return {
    access: {
      admin: {
        DATAPATCH_ADMIN_EMAIL: env.DATAPATCH_ADMIN_EMAIL,
        DATAPATCH_ADMIN_PASSWORD: env.DATAPATCH_ADMIN_PASSWORD,
      },
      intakeLimits: limits,
      secureCookies: env.DATAPATCH_SECURE_COOKIES === '1',
      ...(env.DATAPATCH_SMTP_URL ? { smtpUrl: env.DATAPATCH_SMTP_URL } : {}),
      ...(env.DATAPATCH_SMTP_FROM ? { smtpFrom: env.DATAPATCH_SMTP_FROM } : {}),
      ...(env.DATAPATCH_PUBLIC_URL ? { publicUrl: env.DATAPATCH_PUBLIC_URL } : {}),
    },
    trustProxy: env.DATAPATCH_TRUST_PROXY === '1',
    openAccess: env.DATAPATCH_INSECURE_OPEN_ACCESS === '1',
  };
}
