// Data quality across datasets: likely duplicates of a record and the merge of two records.
export {
  type CandidateOptions,
  type DuplicateCandidate,
  DuplicateIndex,
  type RecordRef,
} from './duplicate-index.ts';
export { deriveFieldRoles, type FieldRole, type FieldRoles, type SchemaFieldLike } from './field-roles.ts';
export {
  compareRecords,
  type DuplicateReason,
  type DuplicateVerdict,
  likelyDuplicateScore,
  nameSimilarity,
} from './likely-duplicate.ts';
export {
  type ChoiceReason,
  type FieldChoice,
  type MergePlan,
  type MergeSide,
  planMerge,
  readDate,
} from './merge-plan.ts';
export {
  addressKey,
  foldText,
  nameTokens,
  normaliseEmail,
  normalisePhone,
  normaliseSiret,
} from './normalize.ts';
export { distanceMeters, type Place, type Position, type RecordValues, readPoint, toPlace } from './place.ts';
export { jaroWinkler, tokenSimilarity, trigramDice } from './similarity.ts';
