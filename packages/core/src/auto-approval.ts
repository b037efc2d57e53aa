/**
 * Trust-based auto-approval, per field. Invariants: a proposal is approved automatically only
 * when it is a pending change by a trusted contributor, every field it changes is auto-approvable
 * (never a name, a position, nor a deletion or a creation), its base equals the current
 * validated value and no other pending proposal touches those fields. Trust counts only people's
 * decisions: automatic acceptances neither earn nor keep it, one refusal or undo withdraws it.
 */
import type * as Y from 'yjs';
import { fieldNames, readSchema } from './dataset.ts';
import { hasRow, isRowDeleted, readCell } from './edits.ts';
import { decisionsMap, proposalsMap } from './layout.ts';
import { acceptProposal } from './moderation.ts';
import { statusOf } from './proposals.ts';
import type { Actor, Proposal } from './types.ts';

export type AutoApprovalSettings = {
  /** Fields a trusted contributor's change may be applied to without a moderator. */
  fields: string[];
  /** Accepted proposals (by moderators) needed to become trusted. */
  acceptedNeeded: number;
  /** How many of the contributor's latest decisions must hold no refusal nor undo. */
  window: number;
};

export const DEFAULT_AUTO_APPROVAL: AutoApprovalSettings = { fields: [], acceptedNeeded: 3, window: 10 };

/** Who the changelog and the decision name for an automatic acceptance. */
export const AUTO_APPROVER: Actor = { id: 'auto-approval', name: 'acceptée automatiquement' };

/** Names and positions are never auto-approved, whatever the settings say: any word of the field's name. */
const NEVER_WORDS = new Set([
  'nom',
  'name',
  'titre',
  'title',
  'raison',
  'lat',
  'latitude',
  'lon',
  'lng',
  'long',
  'longitude',
  'geo',
  'geom',
  'geometry',
  'geometrie',
  'shape',
  'position',
  'coordonnees',
  'coordinates',
  'geopoint',
  'point',
  'x',
  'y',
]);

export function neverAutoApprovable(doc: Y.Doc, field: string): boolean {
  if (
    field
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .some((word) => NEVER_WORDS.has(word))
  )
    return true;
  const schema = readSchema(doc);
  const descriptor = schema.fields.find((f) => f.name === field);
  if (descriptor && (descriptor.type === 'geopoint' || descriptor.type === 'geojson')) return true;
  const key = schema.primaryKey;
  return key === field || (Array.isArray(key) && key.includes(field));
}

/** The fields a moderator may choose to auto-approve in this dataset. */
export function autoApprovableCandidates(validated: Y.Doc): string[] {
  return fieldNames(validated).filter((f) => !neverAutoApprovable(validated, f));
}

function settingsMap(pending: Y.Doc): Y.Map<AutoApprovalSettings> {
  return pending.getMap('autoApproval');
}

/** The dataset's settings, kept in its pending document (moderators only). */
export function readAutoApprovalSettings(pending: Y.Doc): AutoApprovalSettings {
  const stored = settingsMap(pending).get('settings');
  return stored ? { ...DEFAULT_AUTO_APPROVAL, ...stored } : { ...DEFAULT_AUTO_APPROVAL };
}

/** Saves the settings; name and position fields are dropped, counts clamped to 1…1000. */
export function writeAutoApprovalSettings(
  pending: Y.Doc,
  validated: Y.Doc,
  settings: AutoApprovalSettings,
): AutoApprovalSettings {
  const allowed = new Set(autoApprovableCandidates(validated));
  const clamp = (n: number, fallback: number) =>
    Number.isFinite(n) ? Math.min(1000, Math.max(1, Math.round(n))) : fallback;
  const clean: AutoApprovalSettings = {
    fields: [...new Set(settings.fields)].filter((f) => allowed.has(f)),
    acceptedNeeded: clamp(settings.acceptedNeeded, DEFAULT_AUTO_APPROVAL.acceptedNeeded),
    window: clamp(settings.window, DEFAULT_AUTO_APPROVAL.window),
  };
  settingsMap(pending).set('settings', clean);
  return clean;
}

export type Trust = { trusted: boolean; accepted: number; refusedInWindow: number };

/**
 * A contributor's trust in this dataset, from their proposals' decisions by people: each
 * acceptance, refusal (rejected or partly accepted) and undo, latest last.
 */
export function trustOf(
  pending: Y.Doc,
  contributor: string | undefined,
  settings: AutoApprovalSettings,
): Trust {
  if (!contributor) return { trusted: false, accepted: 0, refusedInWindow: 0 };
  const decisions = decisionsMap(pending);
  const events: { at: string; good: boolean }[] = [];
  for (const proposal of proposalsMap(pending).values()) {
    if (proposal.contributor !== contributor) continue;
    const decision = decisions.get(proposal.id);
    if (!decision || decision.status === 'withdrawn') continue;
    if (decision.undone) events.push({ at: decision.undone.at, good: false });
    else if (decision.automatic) continue;
    else events.push({ at: decision.at, good: decision.status === 'accepted' });
  }
  events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const accepted = events.filter((e) => e.good).length;
  const refusedInWindow = events.slice(-settings.window).filter((e) => !e.good).length;
  return { trusted: accepted >= settings.acceptedNeeded && refusedInWindow === 0, accepted, refusedInWindow };
}

export type AutoApprovalReason =
  | { code: 'not-pending' }
  | { code: 'not-a-change' }
  | { code: 'row-missing' }
  | { code: 'not-trusted'; accepted: number; needed: number; refused: number }
  | { code: 'field-not-auto'; field: string }
  | { code: 'stale-base'; field: string }
  | { code: 'other-pending'; field: string; proposalId: string };

export type AutoApprovalDecision = { approve: true } | { approve: false; reasons: AutoApprovalReason[] };

/** Whether `proposal` may be accepted without a moderator, and if not, every reason why. */
export function autoApprovalDecision(
  proposal: Proposal,
  validated: Y.Doc,
  pending: Y.Doc,
  trust: Trust,
  settings: AutoApprovalSettings,
  /** The pending proposals by row, when the caller has them (saves a pass over the queue). */
  waitingByRow?: ReadonlyMap<string, readonly Proposal[]>,
): AutoApprovalDecision {
  const reasons: AutoApprovalReason[] = [];
  if (statusOf(decisionsMap(pending).get(proposal.id)) !== 'pending') reasons.push({ code: 'not-pending' });
  if (proposal.kind !== 'change') return { approve: false, reasons: [...reasons, { code: 'not-a-change' }] };
  const row = proposal.rowId ?? '';
  if (!hasRow(validated, row) || isRowDeleted(validated, row)) reasons.push({ code: 'row-missing' });
  if (!trust.trusted) {
    reasons.push({
      code: 'not-trusted',
      accepted: trust.accepted,
      needed: settings.acceptedNeeded,
      refused: trust.refusedInWindow,
    });
  }
  const fields = Object.keys(proposal.proposed);
  const auto = new Set(settings.fields);
  const rowKnown = !reasons.some((r) => r.code === 'row-missing');
  for (const field of fields) {
    // A field confirmed as it is ("c'est toujours exact") changes nothing: only its base counts.
    const changed = proposal.proposed[field] !== proposal.base[field];
    if (changed && (!auto.has(field) || neverAutoApprovable(validated, field)))
      reasons.push({ code: 'field-not-auto', field });
    const base = proposal.base[field];
    if (rowKnown && (base === undefined || (readCell(validated, row, field) ?? null) !== base))
      reasons.push({ code: 'stale-base', field });
  }
  const others = waitingByRow?.get(proposal.rowId ?? '') ?? waitingProposals(pending);
  for (const other of others) {
    if (other.id === proposal.id || other.rowId !== proposal.rowId) continue;
    for (const field of fields) {
      if (field in other.proposed) reasons.push({ code: 'other-pending', field, proposalId: other.id });
    }
  }
  if (fields.length === 0) reasons.push({ code: 'not-a-change' });
  return reasons.length === 0 ? { approve: true } : { approve: false, reasons };
}

function waitingProposals(pending: Y.Doc): Proposal[] {
  const decisions = decisionsMap(pending);
  return [...proposalsMap(pending).values()].filter((p) => statusOf(decisions.get(p.id)) === 'pending');
}

/** Why the rules approved a proposal or left it to moderators, for the queue. */
export type AutoApprovalNote = AutoApprovalDecision & { at: string };

function notesMap(pending: Y.Doc): Y.Map<AutoApprovalNote> {
  return pending.getMap('autoApprovalNotes');
}

export function autoApprovalNote(pending: Y.Doc, proposalId: string): AutoApprovalNote | undefined {
  return notesMap(pending).get(proposalId);
}

/**
 * Applies the rules to every pending proposal: approved ones are accepted the way a moderator
 * accepts (same changelog, same undo) as AUTO_APPROVER, marked `automatic`; the others get a
 * note saying why not. Returns the ids accepted.
 */
export function runAutoApproval(validated: Y.Doc, pending: Y.Doc, now = new Date().toISOString()): string[] {
  const settings = readAutoApprovalSettings(pending);
  // Off (no field chosen): nothing to approve, and the queue says so without a note each.
  if (settings.fields.length === 0) return [];
  const notes = notesMap(pending);
  const waiting = waitingProposals(pending);
  const byRow = new Map<string, Proposal[]>();
  for (const p of waiting) byRow.set(p.rowId ?? '', [...(byRow.get(p.rowId ?? '') ?? []), p]);
  const trusts = new Map<string, Trust>();
  const trust = (contributor: string | undefined): Trust => {
    const key = contributor ?? '';
    if (!trusts.has(key)) trusts.set(key, trustOf(pending, contributor, settings));
    return trusts.get(key)!;
  };
  const verdicts = waiting.map((p) => ({
    proposal: p,
    verdict: autoApprovalDecision(p, validated, pending, trust(p.contributor), settings, byRow),
  }));
  const accepted: string[] = [];
  pending.transact(() => {
    for (const { proposal, verdict } of verdicts) {
      if (verdict.approve) {
        const result = acceptProposal(validated, pending, proposal.id, {
          moderator: AUTO_APPROVER,
          automatic: true,
        });
        if (result.ok) accepted.push(proposal.id);
      }
      const before = notes.get(proposal.id);
      const { at: _at, ...kept } = before ?? { at: '' };
      if (!before || JSON.stringify(kept) !== JSON.stringify(verdict))
        notes.set(proposal.id, { ...verdict, at: now });
    }
  });
  return accepted;
}
