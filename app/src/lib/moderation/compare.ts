/**
 * One proposal laid out field by field for a moderator: what the contributor saw, what the
 * dataset holds now, what they propose. Invariant: a field is a conflict exactly when core's
 * acceptProposal would refuse it (the current value is neither the one seen nor the proposed
 * one), so the screen never promises an accept that will fail.
 */
import type { CellValue, ProposalView } from '@datapatch/core';

export type FieldComparison = {
  field: string;
  /** The value the contributor saw; undefined when they did not look at it. */
  seen: CellValue | undefined;
  /** The dataset's value now; undefined for a record that does not exist (yet). */
  current: CellValue | undefined;
  proposed: CellValue;
  /** The proposed value differs from the current one (accepting changes something). */
  changes: boolean;
  /** The current value moved since the contributor saw it, to something else than proposed. */
  conflict: boolean;
};

function same(a: CellValue | undefined, b: CellValue | undefined): boolean {
  return (a ?? null) === (b ?? null);
}

/**
 * The fields of a proposal in the dataset's field order (unknown fields last), compared with
 * the current row. For a `delete` proposal, the fields the contributor saw, proposed empty.
 */
export function compareProposal(
  proposal: Pick<ProposalView, 'kind' | 'base' | 'proposed'>,
  current: Record<string, CellValue> | undefined,
  fieldOrder: readonly string[],
): FieldComparison[] {
  const names = proposal.kind === 'delete' ? Object.keys(proposal.base) : Object.keys(proposal.proposed);
  const rank = new Map(fieldOrder.map((name, i) => [name, i]));
  names.sort((a, b) => (rank.get(a) ?? Number.MAX_SAFE_INTEGER) - (rank.get(b) ?? Number.MAX_SAFE_INTEGER));
  return names.map((field) => {
    const seen = field in proposal.base ? proposal.base[field] : undefined;
    const now = current === undefined ? undefined : (current[field] ?? null);
    const proposed = proposal.kind === 'delete' ? null : (proposal.proposed[field] ?? null);
    const changes = proposal.kind === 'delete' || !same(now, proposed);
    const conflict =
      proposal.kind !== 'create' &&
      current !== undefined &&
      seen !== undefined &&
      !same(now, seen) &&
      (proposal.kind === 'delete' || !same(now, proposed));
    return { field, seen, current: now, proposed, changes, conflict };
  });
}

/** A proposal can be bulk-accepted when no field conflicts and its values pass the schema. */
export function acceptableInBulk(
  comparison: readonly FieldComparison[],
  invalidFields: ReadonlySet<string>,
): boolean {
  return comparison.every((c) => !c.conflict && !invalidFields.has(c.field));
}

/**
 * The pending proposals "accept those without conflict" takes, so the count on the button is
 * what it will accept: corrections that are clean (`clean`: no conflict, valid), minus those
 * that compete for a cell with another pending proposal — accepting one would make the other a
 * conflict, and which one wins is a moderator's call.
 */
export function bulkAcceptable<P extends { id: string; kind: string; rowId?: string; proposed: object }>(
  pending: readonly P[],
  clean: (p: P) => boolean,
): P[] {
  const claims = new Map<string, number>();
  const cells = (p: P) =>
    p.kind === 'change' ? Object.keys(p.proposed).map((f) => `${p.rowId}\u0000${f}`) : [];
  for (const p of pending) for (const cell of cells(p)) claims.set(cell, (claims.get(cell) ?? 0) + 1);
  return pending.filter(
    (p) => p.kind === 'change' && cells(p).every((cell) => claims.get(cell) === 1) && clean(p),
  );
}

export type TextDiff = { before: string; removed: string; added: string; after: string };

/**
 * Where two values differ, as one changed span between a common start and end: enough to
 * highlight a typo fix or a changed postcode without a full diff algorithm.
 */
export function textDiff(from: CellValue | undefined, to: CellValue | undefined): TextDiff {
  const a = from === null || from === undefined ? '' : String(from);
  const b = to === null || to === undefined ? '' : String(to);
  const a1 = Array.from(a);
  const b1 = Array.from(b);
  let start = 0;
  while (start < a1.length && start < b1.length && a1[start] === b1[start]) start++;
  let end = 0;
  while (
    end < a1.length - start &&
    end < b1.length - start &&
    a1[a1.length - 1 - end] === b1[b1.length - 1 - end]
  )
    end++;
  return {
    before: a1.slice(0, start).join(''),
    removed: a1.slice(start, a1.length - end).join(''),
    added: b1.slice(start, b1.length - end).join(''),
    after: a1.slice(a1.length - end).join(''),
  };
}
