/**
 * Where each field value of a record came from, read from the validated document's changelog
 * alone. Invariants: pure (no Yjs, no DOM); an undone change gives the field back the provenance
 * it had before; a record with no entry of its own came from an import (the one whose row ids hold it).
 */
import { AUTO_APPROVER } from './auto-approval.ts';
import type { Actor, ChangelogEntry } from './types.ts';

/** An import, a release of the official source, an accepted proposal, or an editor's own edit. */
export type ProvenanceKind = 'import' | 'upstream' | 'proposal' | 'edit';

export type FieldProvenance = {
  kind: ProvenanceKind;
  /** Who wrote it: the importer, the moderator who accepted the proposal, the editor. */
  by: Actor;
  /** ISO 8601 date-time of the change. */
  at: string;
  proposalId?: string;
  /** True when the proposal was accepted automatically (trust-based auto-approval). */
  auto?: boolean;
  /** The changelog entry that set it. */
  changeId: string;
};

function provenanceOf(entry: ChangelogEntry): FieldProvenance {
  const kind: ProvenanceKind =
    entry.batch?.origin === 'upstream'
      ? 'upstream'
      : entry.proposalId !== undefined
        ? 'proposal'
        : entry.kind === 'create' && entry.count !== undefined
          ? 'import'
          : 'edit';
  return {
    kind,
    by: entry.by,
    at: entry.at,
    ...(entry.proposalId !== undefined ? { proposalId: entry.proposalId } : {}),
    ...(kind === 'proposal' && entry.by.id === AUTO_APPROVER.id ? { auto: true } : {}),
    changeId: entry.id,
  };
}

/** Row ids are an 8-character session prefix and a base36 counter (see ids.ts). */
const PREFIX = 8;
function inImport(entry: ChangelogEntry, rowId: string): boolean {
  const first = entry.rowId;
  if (entry.count === undefined || first.length <= PREFIX || rowId.length <= PREFIX) return false;
  if (first.slice(0, PREFIX) !== rowId.slice(0, PREFIX)) return false;
  const start = Number.parseInt(first.slice(PREFIX), 36);
  const at = Number.parseInt(rowId.slice(PREFIX), 36);
  return at >= start && at < start + entry.count;
}

type RowTrail = { origin?: FieldProvenance; fields: Map<string, FieldProvenance[]> };

/**
 * Reads the changelog once; `of(rowId, fields)` then gives each field's provenance. Fields no
 * change touched have the record's origin (its creation or import); unknown rows give {}.
 */
export function provenanceIndex(changelog: readonly ChangelogEntry[]): {
  of(rowId: string, fields?: readonly string[]): Record<string, FieldProvenance>;
} {
  const rows = new Map<string, RowTrail>();
  const imports: ChangelogEntry[] = [];
  const byId = new Map<string, FieldProvenance>();
  const trail = (rowId: string): RowTrail => {
    let found = rows.get(rowId);
    if (found === undefined) {
      found = { fields: new Map() };
      rows.set(rowId, found);
    }
    return found;
  };
  for (const entry of changelog) {
    if (entry.kind === 'create' && entry.count !== undefined) {
      imports.push(entry);
      continue;
    }
    const row = trail(entry.rowId);
    if (entry.kind === 'create') {
      row.origin = provenanceOf(entry);
    } else if (entry.kind === 'set' && entry.field !== undefined) {
      const prov = provenanceOf(entry);
      byId.set(entry.id, prov);
      const list = row.fields.get(entry.field) ?? [];
      list.push(prov);
      row.fields.set(entry.field, list);
    } else if (entry.kind === 'undo' && entry.field !== undefined && entry.undoes !== undefined) {
      // The undone change's value is gone: the field is back to what set it before.
      const list = row.fields.get(entry.field);
      const at = list?.findIndex((p) => p.changeId === entry.undoes) ?? -1;
      if (list !== undefined && at >= 0) list.splice(at, 1);
    }
  }
  const importOf = (rowId: string): FieldProvenance | undefined => {
    const entry = imports.find((e) => e.rowId === rowId || inImport(e, rowId)) ?? imports[0];
    return entry === undefined ? undefined : provenanceOf(entry);
  };
  return {
    of(rowId, fields) {
      const row = rows.get(rowId);
      const origin = row?.origin ?? importOf(rowId);
      const out: Record<string, FieldProvenance> = {};
      const names = new Set<string>(fields ?? []);
      if (fields === undefined) {
        for (const name of row?.fields.keys() ?? []) names.add(name);
        const created = changelog.find(
          (e) => e.kind === 'create' && e.rowId === rowId && e.count === undefined,
        );
        if (created?.new !== null && typeof created?.new === 'object')
          for (const name of Object.keys(created.new)) names.add(name);
      }
      for (const name of names) {
        const last = row?.fields.get(name)?.at(-1) ?? origin;
        if (last !== undefined) out[name] = last;
      }
      return out;
    },
  };
}

/** One record's provenance per field (see provenanceIndex; for many records build the index once). */
export function fieldProvenance(
  changelog: readonly ChangelogEntry[],
  rowId: string,
  fields?: readonly string[],
): Record<string, FieldProvenance> {
  return provenanceIndex(changelog).of(rowId, fields);
}
