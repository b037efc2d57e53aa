/**
 * @datapatch/core: a dataset's validated and pending Yjs documents, edits, the changelog and
 * moderation. Pure: no DOM, no network. The document layout is documented in ../README.md.
 */
export {
  AUTO_APPROVER,
  type AutoApprovalDecision,
  type AutoApprovalNote,
  type AutoApprovalReason,
  type AutoApprovalSettings,
  autoApprovableCandidates,
  autoApprovalDecision,
  autoApprovalNote,
  DEFAULT_AUTO_APPROVAL,
  neverAutoApprovable,
  readAutoApprovalSettings,
  runAutoApproval,
  type Trust,
  trustOf,
  writeAutoApprovalSettings,
} from './auto-approval.ts';
export {
  batchEntries,
  batchUndoneBy,
  type SkippedUndo,
  type UndoBatchResult,
  undoBatch,
} from './batches.ts';
export * from './codes.ts';
export {
  appendRows,
  createDataset,
  fieldNames,
  isDataset,
  readMeta,
  readSchema,
  setMeta,
} from './dataset.ts';
export {
  addRow,
  deleteRow,
  type EditOptions,
  hasRow,
  isRowDeleted,
  readCell,
  readChangelog,
  restoreRow,
  setCell,
} from './edits.ts';
export { foldIn } from './fold-in.ts';
export { markVerified, notVerifiedSince, rowFreshness, verifiedAt, verifiedMap } from './freshness.ts';
export { CELL_KEY_SEPARATOR, CHUNK_SIZE, cellKey, changelogArray, splitCellKey } from './layout.ts';
export {
  type AcceptOptions,
  type AcceptResult,
  acceptProposal,
  type DecisionResult,
  rejectProposal,
  type UndoResult,
  undoDecision,
} from './moderation.ts';
export {
  addProposal,
  amendProposal,
  getProposal,
  listProposals,
  type ProposalResult,
  statusOf,
  withdrawProposal,
} from './proposals.ts';
export {
  type FieldProvenance,
  fieldProvenance,
  type ProvenanceKind,
  provenanceIndex,
} from './provenance.ts';
export { RowIndex, readRows } from './row-index.ts';
export type * from './types.ts';
