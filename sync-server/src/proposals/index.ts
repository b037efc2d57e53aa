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
  type CheckedProposal,
  createIntakeGuards,
  DEFAULT_INTAKE_LIMITS,
  type DeliveryMark,
  deliverInto,
  deliverStoredProposals,
  type IntakeDependencies,
  type IntakeGuards,
  type IntakeLimits,
  migrate as migrateProposals,
  type PreparedProposal,
  type ProposalForContributor,
  type ProposalRow,
  type ProposalStatus,
  prepareProposal,
  proposalStatus,
  recordDecision,
  recordDeliveries,
  type StoreOutcome,
  type SubmitAnswer,
  type SubmitFailureCode,
  storeProposals,
  submitProposal,
  withdrawProposalByReceipt,
} from './intake.ts';
export { type DeliverToPending, IntakeBatches, type IntakeBatchStats } from './intake-batches.ts';
export { checkAgainstDataset, type RowValidator } from './schema-check.ts';
