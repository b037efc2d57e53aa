/**
 * A dataset ready for anonymous proposals, for the intake tests: public, proposals open on
 * some fields, a small Table Schema, an empty pending document. Not used in production.
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
import type { ProposalStore } from '../store/proposal-store.ts';
import { SqliteProposalStore } from '../store/sqlite/sqlite-proposal-store.ts';
import { insertTestUser, type TestDependencies, testDependencies } from './access-dependencies.ts';

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
    /** How long the default store's delivery marks wait for a commit to ride along with. */
    marksDelayMs?: number;
  } = {},
) {
  const access = testDependencies(options.seed === undefined ? {} : { seed: options.seed });
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
