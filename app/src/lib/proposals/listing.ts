/**
 * "My proposals" as one list: unsent outbox entries and receipts of sent ones, newest first,
 * each with the status a person reads. Pure, so the page only renders it.
 */
import type { CellValue } from '@datapatch/core';
import type { OutboxEntry, Receipt } from '../outbox/outbox.ts';
import type { ProposalKind, ProposalStatus } from './api.ts';

export type ListedStatus = 'unsent' | 'refused' | ProposalStatus;

/** One proposed field: its title, the value, and on a partial decision whether it was kept. */
export interface ListedField {
  name: string;
  title: string;
  value: CellValue;
  /** Only on a partial decision: kept (accepted) or refused, with the moderator's reason if any. */
  outcome?: { kept: true } | { kept: false; reason?: string };
}

/** The proposed fields by title, and on a partial decision which were kept and which refused. */
export function listedFields(
  proposed: Readonly<Record<string, CellValue>>,
  titles: Readonly<Record<string, string>> | undefined,
  decision?: {
    status: ListedStatus;
    acceptedFields?: readonly string[];
    refusedReasons?: Record<string, string>;
  },
): ListedField[] {
  const partial = decision?.status === 'partially-accepted' && decision.acceptedFields !== undefined;
  return Object.entries(proposed).map(([name, value]) => {
    const field: ListedField = { name, title: titles?.[name] ?? name, value };
    if (partial) {
      const reason = decision.refusedReasons?.[name];
      field.outcome = decision.acceptedFields?.includes(name)
        ? { kept: true }
        : reason === undefined
          ? { kept: false }
          : { kept: false, reason };
    }
    return field;
  });
}

export interface ListedProposal {
  key: string;
  datasetId: string;
  datasetTitle: string;
  recordName: string;
  kind: ProposalKind;
  rowId: string | undefined;
  proposed: Record<string, CellValue>;
  comment: string | undefined;
  createdAt: number;
  status: ListedStatus;
  reason: string | undefined;
  /** The fields as the person reads them, in the order proposed, each with what became of it. */
  fields: ListedField[];
  /** Can still be changed or withdrawn by the person. */
  open: boolean;
  /** A sent proposal can be withdrawn; an unsent one is discarded. */
  sent: boolean;
}

export function listProposals(
  entries: readonly OutboxEntry[],
  receipts: readonly Receipt[],
): ListedProposal[] {
  const unsent = entries.map(
    (e): ListedProposal => ({
      key: e.idempotencyKey,
      datasetId: e.datasetId,
      datasetTitle: e.label.datasetTitle,
      recordName: e.label.recordName,
      kind: e.body.kind,
      rowId: e.body.rowId,
      proposed: e.body.proposed,
      comment: e.body.comment,
      createdAt: e.createdAt,
      status: e.refused ? 'refused' : 'unsent',
      reason: e.refused ? (e.lastError?.message ?? e.lastError?.code) : undefined,
      fields: listedFields(e.body.proposed, e.label.fieldTitles),
      // An entry tried without an answer may have arrived: it is changed once its receipt is here.
      open: e.refused || e.attempts === 0,
      sent: false,
    }),
  );
  const sentKeys = new Set(receipts.map((r) => r.idempotencyKey));
  const sent = receipts.map(
    (r): ListedProposal => ({
      key: r.idempotencyKey,
      datasetId: r.datasetId,
      datasetTitle: r.label.datasetTitle,
      recordName: r.label.recordName,
      kind: r.kind,
      rowId: r.rowId,
      proposed: r.proposed,
      comment: r.comment,
      createdAt: r.createdAt,
      status: r.status,
      reason: r.reason,
      fields: listedFields(r.proposed, r.label.fieldTitles, {
        status: r.status,
        ...(r.acceptedFields === undefined ? {} : { acceptedFields: r.acceptedFields }),
        ...(r.refusedReasons === undefined ? {} : { refusedReasons: r.refusedReasons }),
      }),
      open: r.status === 'pending',
      sent: true,
    }),
  );
  // After a crash between "receipt stored" and "entry deleted", both exist: the receipt wins.
  return [...unsent.filter((u) => !sentKeys.has(u.key)), ...sent].sort((a, b) => b.createdAt - a.createdAt);
}

/** Where to change a proposal: the form it came from, told which proposal it edits. */
export function amendHref(p: ListedProposal): string {
  const dataset = `/datasets/${encodeURIComponent(p.datasetId)}`;
  const form =
    p.rowId !== undefined && p.kind !== 'create'
      ? `${dataset}/records/${encodeURIComponent(p.rowId)}/propose`
      : `${dataset}/propose`;
  return `${form}?amend=${encodeURIComponent(p.key)}`;
}
