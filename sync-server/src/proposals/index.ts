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
  createIntakeGuards,
  DEFAULT_INTAKE_LIMITS,
  deliverStoredProposals,
  type IntakeDependencies,
  type IntakeGuards,
  type IntakeLimits,
  migrate as migrateProposals,
  type ProposalForContributor,
  type ProposalStatus,
  proposalStatus,
  recordDecision,
  type SubmitFailureCode,
  submitProposal,
  withdrawProposalByReceipt,
} from './intake.ts';
export { checkAgainstDataset, type RowValidator } from './schema-check.ts';
