/**
 * Finding the proposal of this device that a form is changing (`?amend=<idempotency key>`):
 * an unsent outbox entry, or a sent one still pending. Decided proposals cannot be changed.
 */
import type { OutboxEntry, Receipt } from '../outbox/outbox.ts';

export function proposalToAmend(
  key: string | null,
  entries: readonly OutboxEntry[],
  receipts: readonly Receipt[],
): OutboxEntry | Receipt | undefined {
  if (key === null || key === '') return undefined;
  const entry = entries.find((e) => e.idempotencyKey === key);
  if (entry !== undefined) return entry;
  return receipts.find((r) => r.idempotencyKey === key && r.status === 'pending');
}
