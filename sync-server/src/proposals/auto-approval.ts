/**
 * Auto-approval on the server: after stored proposals reach a pending document, the dataset's
 * rules (@datapatch/core runAutoApproval) accept the trusted, safe ones the way a moderator
 * would, in one change of both documents. Invariant: a contributor is known only by an opaque
 * key derived from their hashed address, never the address hash itself.
 */
import { createHash } from 'node:crypto';
import { readAutoApprovalSettings, runAutoApproval } from '@datapatch/core';
import { roomName } from '@datapatch/protocol';
import type * as Y from 'yjs';
import type { SyncRelay } from '../relay/relay.ts';

/** The key a contributor's proposals carry in the pending document (trust is counted by it). */
export function contributorKey(addressHash: string): string {
  return `anon-${createHash('sha256').update(`datapatch-contributor:${addressHash}`).digest('hex').slice(0, 24)}`;
}

/** Applies the dataset's auto-approval rules to its pending proposals; the ids accepted. */
export async function autoApprove(
  relay: Pick<SyncRelay, 'changeDocuments'>,
  datasetId: string,
): Promise<string[]> {
  // Off unless moderators chose fields: then the validated document is not even loaded.
  const on = await relay.changeDocuments([roomName(datasetId, 'pending')], ([pending]) =>
    autoApprovalOn(pending!),
  );
  if (!on) return [];
  return relay.changeDocuments(
    [roomName(datasetId, 'validated'), roomName(datasetId, 'pending')],
    ([validated, pending]) => runAutoApproval(validated!, pending!),
  );
}

function autoApprovalOn(pending: Y.Doc): boolean {
  return readAutoApprovalSettings(pending).fields.length > 0;
}
