/**
 * Anonymous proposal intake for the sync server (no HTTP here): read and check a body, store it
 * durably, write it into the pending document, answer with a receipt. See ../access/README.md.
 */
export {
  type BodyCaps,
  type CellValue,
  canonicalBody,
  DEFAULT_BODY_CAPS,
  HONEYPOT_FIELD,
  type ProposalBody,
  type ProposalKind,
  readProposalBody,
} from './body.ts';
export {
  amendProposalByReceipt,
  answerFor,
  type CheckedProposal,
  createIntakeGuards,
  DEFAULT_INTAKE_LIMITS,
  deliverAllInto,
  deliverInto,
  deliverStoredProposals,
  type IntakeDependencies,
  type IntakeGuards,
  type IntakeLimits,
  localPending,
  type PendingDocument,
  type PreparedProposal,
  type ProposalForContributor,
  type ProposalRow,
  type ProposalStatus,
  prepareProposal,
  proposalStatus,
  type SubmitAnswer,
  type SubmitFailureCode,
  settleFromDocuments,
  storeProposals,
  submitProposal,
  withdrawProposalByReceipt,
} from './intake.ts';
export { IntakeBatches, type IntakeBatchStats } from './intake-batches.ts';
export { checkAgainstDataset, type RowValidator } from './schema-check.ts';
