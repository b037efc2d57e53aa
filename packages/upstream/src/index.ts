/**
 * @datapatch/upstream: keeping a dataset in step with its official source. Pure: no DOM, no
 * network, no Yjs; the server reads the documents and the releases, this decides.
 */
export { applyPlan } from './applyPlan.ts';
export {
  CHANGE_COLUMNS,
  type ChangeOperation,
  type ChangesInput,
  changesCsv,
  changesSinceRelease,
} from './changesSinceRelease.ts';
export { dryRun, type UpstreamCounts, type UpstreamDryRun } from './dryRun.ts';
export { normaliseKeyPart, recordKey } from './recordKey.ts';
export {
  type FieldUpdate,
  type HubCorrection,
  type HubRecord,
  type KeyIssue,
  type MergeInput,
  mergeUpstream,
  type ProposedDeletion,
  type RecordToAdd,
  type RemovedHere,
  sameCell,
  type ThreeValues,
  type UpstreamConflict,
  type UpstreamPlan,
} from './threeWayMerge.ts';
