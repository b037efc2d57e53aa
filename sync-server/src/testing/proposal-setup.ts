/**
 * A dataset ready for anonymous proposals, for the intake tests: public, proposals open on
 * some fields, a small Table Schema, an empty pending document; `intakeBackends` gives it on
 * SQLite or in a fresh PostgreSQL schema (dropped by `dispose`). Not used in production.
 */
import { compileSchema, type TableSchema } from '@datapatch/schema';
import * as Y from 'yjs';
import { addressHasher } from '../access/addresses.ts';
import { registerDataset } from '../access/datasets.ts';
import {
  createIntakeGuards,
  DEFAULT_INTAKE_LIMITS,
  type IntakeDependencies,
  type IntakeLimits,
  localPending,
} from '../proposals/intake.ts';
import type { AccessStore } from '../store/access-store.ts';
import { PostgresAccessStore } from '../store/postgres/postgres-access-store.ts';
import { openPostgres } from '../store/postgres/postgres-database.ts';
import { PostgresProposalStore } from '../store/postgres/postgres-proposal-store.ts';
import type { ProposalStore } from '../store/proposal-store.ts';
import { SqliteProposalStore } from '../store/sqlite/sqlite-proposal-store.ts';
import { insertTestUser, type TestDependencies, testDependencies } from './access-dependencies.ts';
import { createTestSchema, requireServices } from './services.ts';

export const SCHEMA: TableSchema = {
  fields: [
    { name: 'name', type: 'string', constraints: { required: true } },
    { name: 'opening_hours', type: 'string' },
    { name: 'accessible', type: 'boolean' },
    { name: 'capacity', type: 'integer', constraints: { minimum: 0 } },
    { name: 'manager', type: 'string' },
  ],
};

/**
 * `proposals`: the store to use (a contract backend's); default: SQLite in the access database.
 * The pending document is one plain Y.Doc for 'toilets'.
 */
export async function intakeSetup(
  options: {
    limits?: Partial<IntakeLimits>;
    seed?: number;
    proposals?: ProposalStore;
    /** The access store to use; default: SQLite in memory. */
    access?: AccessStore;
    /** How long the default store's delivery marks wait for a commit to ride along with. */
    marksDelayMs?: number;
  } = {},
) {
  const access = testDependencies({
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.access === undefined ? {} : { store: options.access }),
  });
  const proposals =
    options.proposals ?? new SqliteProposalStore(access.db, { marksDelayMs: options.marksDelayMs ?? 1 });
  const owner = await insertTestUser(access, 'owner');
  await registerDataset(access, {
    datasetId: 'toilets',
    ownerId: owner,
    settings: {
      visibility: 'public',
      proposals: 'open',
      proposableFields: ['name', 'opening_hours', 'accessible', 'capacity'],
    },
  });
  const validator = compileSchema(SCHEMA);
  const pendingDoc = new Y.Doc();
  const deps: IntakeDependencies & Pick<TestDependencies, 'advance' | 'db'> = {
    ...access,
    proposals,
    pendingOf: (datasetId) => (datasetId === 'toilets' ? localPending(pendingDoc) : undefined),
    guards: createIntakeGuards({ kind: 'memory' }, { ...DEFAULT_INTAKE_LIMITS, ...options.limits }),
    validatorFor: (datasetId) => (datasetId === 'toilets' ? validator : undefined),
  };
  const address = await addressHasher(deps);
  return { deps, owner, pendingDoc, address };
}

let counter = 0;
/** A body as the app sends it, with a fresh idempotency key unless one is given. */
export function proposalJson(fields: Record<string, unknown> = {}): string {
  counter += 1;
  return JSON.stringify({
    kind: 'change',
    rowId: 'row-12',
    base: { opening_hours: 'Mo-Fr 08:00-18:00' },
    proposed: { opening_hours: 'Mo-Su 07:00-22:00' },
    comment: 'Ouvert tous les jours depuis mars.',
    contact: 'claire@example.net',
    idempotencyKey: `key-${String(counter).padStart(12, '0')}`,
    ...fields,
  });
}

/** Proposals in the setup's SQLite store (the default one). */
export function proposalCount(deps: Pick<TestDependencies, 'db'>): number {
  return (deps.db.prepare('SELECT count(*) AS n FROM proposals').get() as { n: number }).n;
}

export type IntakeSetup = Awaited<ReturnType<typeof intakeSetup>> & {
  /** Proposals stored so far. */
  count(): Promise<number>;
  dispose(): Promise<void>;
};

export interface IntakeBackend {
  name: 'SQLite' | 'PostgreSQL';
  /** False only outside CI when PostgreSQL does not answer (requireServices printed why). */
  available: boolean;
  setup(options?: Omit<Parameters<typeof intakeSetup>[0], 'proposals' | 'access'>): Promise<IntakeSetup>;
}

/** The stores proposals can be taken into: SQLite (the access database) and PostgreSQL. */
export async function intakeBackends(what: string): Promise<IntakeBackend[]> {
  const postgres = await requireServices(`${what} on PostgreSQL`, ['postgres']);
  return [
    {
      name: 'SQLite',
      available: true,
      async setup(options = {}) {
        const setup = await intakeSetup(options);
        return {
          ...setup,
          count: async () => proposalCount(setup.deps),
          dispose: () => setup.deps.proposals.close(),
        };
      },
    },
    {
      name: 'PostgreSQL',
      available: postgres.available,
      async setup(options = {}) {
        const schema = await createTestSchema();
        const db = await openPostgres(schema.url, { maxConnections: 4 });
        const proposals = new PostgresProposalStore(await openPostgres(schema.url, { maxConnections: 4 }));
        const setup = await intakeSetup({ ...options, proposals, access: new PostgresAccessStore(db) });
        return {
          ...setup,
          count: async () =>
            (await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM proposals')).rows[0]?.n ?? 0,
          async dispose() {
            await proposals.close();
            await db.close();
            await schema.drop();
          },
        };
      },
    },
  ];
}
