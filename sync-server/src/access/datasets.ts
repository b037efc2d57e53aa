/**
 * A dataset's access settings: public or private, proposals open or closed, and the fields
 * anonymous contributors may propose changes to. Registering a dataset makes its creator its
 * first owner in the same transaction, so no dataset ever exists without an owner.
 */
import { AccessErrorCode, isDatasetId } from '@datapatch/protocol';
import type { Database } from 'better-sqlite3';
import type { AccessDependencies } from './dependencies.ts';
import { effectiveRole, mayManageDataset, type Visibility } from './permissions.ts';
import { fail, type Result } from './result.ts';
import { datasetExists, writeGrant } from './roles.ts';
import { statement } from './statements.ts';
import { getUser } from './users.ts';

export interface DatasetSettings {
  visibility: Visibility;
  proposals: 'open' | 'closed';
  /** Field names anonymous contributors may propose values for; others are refused. */
  proposableFields: string[];
}

/** Safe until the owner decides: nobody outside sees or proposes anything. */
export const DEFAULT_SETTINGS: DatasetSettings = {
  visibility: 'private',
  proposals: 'closed',
  proposableFields: [],
};

export function migrate(db: Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS dataset_settings (
    dataset_id TEXT PRIMARY KEY,
    visibility TEXT NOT NULL CHECK (visibility IN ('public', 'private')),
    proposals TEXT NOT NULL CHECK (proposals IN ('open', 'closed')),
    proposable_fields TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  ) STRICT`);
}

function checkSettings(value: DatasetSettings): boolean {
  return (
    (value.visibility === 'public' || value.visibility === 'private') &&
    (value.proposals === 'open' || value.proposals === 'closed') &&
    Array.isArray(value.proposableFields) &&
    value.proposableFields.length <= 1000 &&
    value.proposableFields.every(
      (field) => typeof field === 'string' && field.length > 0 && field.length <= 200,
    )
  );
}

export function datasetSettings(db: Database, datasetId: string): DatasetSettings | undefined {
  const row = statement(
    db,
    'SELECT visibility, proposals, proposable_fields FROM dataset_settings WHERE dataset_id = ?',
  ).get(datasetId) as
    | { visibility: Visibility; proposals: 'open' | 'closed'; proposable_fields: string }
    | undefined;
  if (!row) return undefined;
  return {
    visibility: row.visibility,
    proposals: row.proposals,
    proposableFields: JSON.parse(row.proposable_fields) as string[],
  };
}

/** Records a new dataset and makes `ownerId` its owner. */
export function registerDataset(
  deps: AccessDependencies,
  input: { datasetId: string; ownerId: string; settings?: Partial<DatasetSettings> },
): Result<{ settings: DatasetSettings }, AccessErrorCode> {
  if (!isDatasetId(input.datasetId)) return fail(AccessErrorCode.invalidSettings);
  if (!getUser(deps.db, input.ownerId)) return fail(AccessErrorCode.userNotFound);
  const settings = { ...DEFAULT_SETTINGS, ...input.settings };
  if (!checkSettings(settings)) return fail(AccessErrorCode.invalidSettings);
  settings.proposableFields = [...new Set(settings.proposableFields)];
  return deps.db
    .transaction((): Result<{ settings: DatasetSettings }, AccessErrorCode> => {
      if (datasetExists(deps.db, input.datasetId)) return fail(AccessErrorCode.datasetExists);
      const now = deps.clock();
      statement(
        deps.db,
        `INSERT INTO dataset_settings (dataset_id, visibility, proposals, proposable_fields, created_by, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        input.datasetId,
        settings.visibility,
        settings.proposals,
        JSON.stringify(settings.proposableFields),
        input.ownerId,
        now,
        now,
      );
      writeGrant(deps, {
        datasetId: input.datasetId,
        subject: { kind: 'user', id: input.ownerId },
        role: 'owner',
        by: input.ownerId,
      });
      return { ok: true, settings };
    })
    .immediate();
}

/**
 * An owner changes some settings; the others keep their value. With `schemaFields` (the
 * dataset's schema), new proposable fields must be among them (`unknown_proposable_field`, with
 * `fields`); names already stored are kept, so a field dropped from the schema never blocks a save.
 */
export function updateDatasetSettings(
  deps: AccessDependencies,
  input: {
    datasetId: string;
    by: string;
    changes: Partial<DatasetSettings>;
    schemaFields?: readonly string[];
  },
): Result<{ settings: DatasetSettings }, AccessErrorCode> {
  const current = datasetSettings(deps.db, input.datasetId);
  if (!current) return fail(AccessErrorCode.datasetNotFound);
  if (!mayManageDataset(effectiveRole(deps.db, input.by, input.datasetId)))
    return fail(AccessErrorCode.forbidden);
  const settings = { ...current, ...input.changes };
  if (!checkSettings(settings)) return fail(AccessErrorCode.invalidSettings);
  settings.proposableFields = [...new Set(settings.proposableFields)];
  if (input.schemaFields) {
    const known = new Set([...input.schemaFields, ...current.proposableFields]);
    const unknown = settings.proposableFields.filter((field) => !known.has(field));
    if (unknown.length > 0) return fail(AccessErrorCode.unknownProposableField, { fields: unknown });
  }
  statement(
    deps.db,
    'UPDATE dataset_settings SET visibility = ?, proposals = ?, proposable_fields = ?, updated_at = ? WHERE dataset_id = ?',
  ).run(
    settings.visibility,
    settings.proposals,
    JSON.stringify(settings.proposableFields),
    deps.clock(),
    input.datasetId,
  );
  return { ok: true, settings };
}
