/**
 * The dry run of taking in a release: how many records and fields each outcome holds, and a few
 * examples of each, small enough to show before anything is written.
 * Invariant: counts are of the whole plan; examples are its first entries, never chosen.
 */
import type { UpstreamPlan } from './threeWayMerge.ts';

export type UpstreamCounts = {
  /** Fields upstream changed where the hubs did not (applied), and in how many records. */
  fieldsToApply: number;
  recordsToUpdate: number;
  /** New upstream records (added). */
  recordsToAdd: number;
  /** Fields the hubs corrected and upstream did not touch (kept). */
  correctionsKept: number;
  /** Records sent to moderation: both changed a field, or upstream deleted a record the hubs edited. */
  conflicts: number;
  /** Untouched records upstream removed (proposed for deletion). */
  proposedDeletions: number;
  /** Records the hubs removed that upstream still lists (the removal is kept). */
  removedHere: number;
  unchanged: number;
  /** Records left alone because their key is empty or not unique. */
  keyIssues: number;
};

export type UpstreamDryRun = {
  hadBase: boolean;
  key: string[];
  counts: UpstreamCounts;
  examples: Pick<
    UpstreamPlan,
    'updates' | 'additions' | 'kept' | 'conflicts' | 'deletions' | 'removedHere' | 'issues'
  >;
};

export function dryRun(plan: UpstreamPlan, examples = 5): UpstreamDryRun {
  const first = <T>(items: T[]) => items.slice(0, examples);
  return {
    hadBase: plan.hadBase,
    key: plan.key,
    counts: {
      fieldsToApply: plan.updates.length,
      recordsToUpdate: new Set(plan.updates.map((u) => u.rowId)).size,
      recordsToAdd: plan.additions.length,
      correctionsKept: plan.kept.length,
      conflicts: plan.conflicts.length,
      proposedDeletions: plan.deletions.length,
      removedHere: plan.removedHere.length,
      unchanged: plan.unchanged,
      keyIssues: plan.issues.length,
    },
    examples: {
      updates: first(plan.updates),
      additions: first(plan.additions),
      kept: first(plan.kept),
      conflicts: first(plan.conflicts),
      deletions: first(plan.deletions),
      removedHere: first(plan.removedHere),
      issues: first(plan.issues),
    },
  };
}
