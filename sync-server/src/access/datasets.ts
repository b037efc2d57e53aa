/**
 * A dataset's access settings: public or private, proposals open or closed, and the fields
 * anonymous contributors may propose changes to. Registering a dataset makes its creator its
 * first owner in the same transaction, so no dataset ever exists without an owner.
 */
import { AccessErrorCode, isDatasetId } from '@datapatch/protocol';
import type { AccessQueries } from '../store/access-store.ts';
import type { AccessDependencies } from './dependencies.ts';
import { effectiveRole, mayManageDataset, type Visibility } from './permissions.ts';
import { fail, type Result } from './result.ts';
import { writeGrant } from './roles.ts';

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

export async function datasetSettings(
  store: AccessQueries,
  datasetId: string,
): Promise<DatasetSettings | undefined> {
  const record = await store.datasetSettings(datasetId);
  if (!record) return undefined;
  return {
    visibility: record.visibility,
    proposals: record.proposals,
    proposableFields: record.proposableFields,
  };
}

/** Records a new dataset and makes `ownerId` its owner. */
export async function registerDataset(
  deps: AccessDependencies,
  input: { datasetId: string; ownerId: string; settings?: Partial<DatasetSettings> },
): Promise<Result<{ settings: DatasetSettings }, AccessErrorCode>> {
  if (!isDatasetId(input.datasetId)) return fail(AccessErrorCode.invalidSettings);
  if (!(await deps.store.getUser(input.ownerId))) return fail(AccessErrorCode.userNotFound);
  const settings = { ...DEFAULT_SETTINGS, ...input.settings };
  if (!checkSettings(settings)) return fail(AccessErrorCode.invalidSettings);
  settings.proposableFields = [...new Set(settings.proposableFields)];
  return deps.store.transaction(
    async (tx): Promise<Result<{ settings: DatasetSettings }, AccessErrorCode>> => {
      const now = deps.clock();
      const created = await tx.createDatasetSettings({
        datasetId: input.datasetId,
        ...settings,
        createdBy: input.ownerId,
        createdAt: now,
        updatedAt: now,
      });
      if (!created) return fail(AccessErrorCode.datasetExists);
      await writeGrant(tx, deps.clock, {
        datasetId: input.datasetId,
        subject: { kind: 'user', id: input.ownerId },
        role: 'owner',
        by: input.ownerId,
      });
      return { ok: true, settings };
    },
  );
}

/**
 * An owner changes some settings; the others keep their value. With `schemaFields` (the
 * dataset's schema), new proposable fields must be among them (`unknown_proposable_field`, with
 * `fields`); names already stored are kept, so a field dropped from the schema never blocks a save.
 */
export async function updateDatasetSettings(
  deps: AccessDependencies,
  input: {
    datasetId: string;
    by: string;
    changes: Partial<DatasetSettings>;
    schemaFields?: readonly string[];
  },
): Promise<Result<{ settings: DatasetSettings }, AccessErrorCode>> {
  const current = await datasetSettings(deps.store, input.datasetId);
  if (!current) return fail(AccessErrorCode.datasetNotFound);
  if (!mayManageDataset(await effectiveRole(deps.store, input.by, input.datasetId)))
    return fail(AccessErrorCode.forbidden);
  const settings = { ...current, ...input.changes };
  if (!checkSettings(settings)) return fail(AccessErrorCode.invalidSettings);
  settings.proposableFields = [...new Set(settings.proposableFields)];
  if (input.schemaFields) {
    const known = new Set([...input.schemaFields, ...current.proposableFields]);
    const unknown = settings.proposableFields.filter((field) => !known.has(field));
    if (unknown.length > 0) return fail(AccessErrorCode.unknownProposableField, { fields: unknown });
  }
  await deps.store.updateDatasetSettings(input.datasetId, settings, deps.clock());
  return { ok: true, settings };
}
