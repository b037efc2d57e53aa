/**
 * An index of the places of one or more datasets that answers "which records may this one
 * duplicate?" without comparing it to every record: only records sharing a block (a nearby
 * geographic cell, a name word or its first letters, the phone, the e-mail or the SIRET) and
 * close enough to matter (see `worthScoring`) are scored. Adding or removing a record touches only its own blocks; a record's key is
 * (datasetId, recordId), so each dataset maps its own columns.
 */

import type { FieldRoles } from './field-roles.ts';
import { compareRecords, type DuplicateVerdict, likelyDuplicateScore } from './likely-duplicate.ts';
import { type Place, type RecordValues, toPlace } from './place.ts';

export interface RecordRef {
  datasetId: string;
  recordId: string;
}

export interface DuplicateCandidate extends DuplicateVerdict {
  ref: RecordRef;
}

export interface CandidateOptions {
  /** Lowest score returned; `likelyDuplicateScore` (0.5) by default. */
  minScore?: number;
  /** At most this many candidates, best first; 10 by default. */
  limit?: number;
  /** Leave this record out (the record being checked, when it is already indexed). */
  exclude?: RecordRef;
}

/** About 550 m of latitude: a 3 × 3 block of cells covers every place within 550 m. */
const cellDegrees = 0.005;
/** A name block this crowded ("pharmacie" in a national file) is left to the other blocks. */
const crowdedBlock = 400;

function refKey(ref: RecordRef): string {
  return `${ref.datasetId}\u0000${ref.recordId}`;
}

function cell(lat: number, lon: number): string {
  return `g:${Math.floor(lat / cellDegrees)}:${Math.floor(lon / cellDegrees)}`;
}

interface Entry {
  ref: RecordRef;
  place: Place;
  blocks: string[];
}

/** The blocks a place is filed under. Cells are the place's own; a query looks at the 3 × 3. */
function ownBlocks(place: Place): string[] {
  const blocks = new Set<string>();
  if (place.position) blocks.add(cell(place.position.lat, place.position.lon));
  for (const word of place.name.distinctive) {
    if (word.length < 3) continue;
    blocks.add(`w:${word}`);
    if (word.length >= 5) blocks.add(`p:${word.slice(0, 4)}`);
  }
  if (place.phone) blocks.add(`t:${place.phone}`);
  if (place.email) blocks.add(`m:${place.email}`);
  if (place.siret) blocks.add(`s:${place.siret}`);
  return [...blocks];
}

function queryBlocks(place: Place): string[] {
  const blocks = ownBlocks(place).filter((b) => !b.startsWith('g:'));
  if (place.position) {
    const row = Math.floor(place.position.lat / cellDegrees);
    const col = Math.floor(place.position.lon / cellDegrees);
    for (let dr = -1; dr <= 1; dr++)
      for (let dc = -1; dc <= 1; dc++) blocks.push(`g:${row + dr}:${col + dc}`);
  }
  return blocks;
}

const cellBlock = 1;
const nameBlock = 2;
const contactBlock = 4;

function blockKind(block: string): number {
  if (block.startsWith('g:')) return cellBlock;
  if (block.startsWith('w:') || block.startsWith('p:')) return nameBlock;
  return contactBlock;
}

/** Metres between two nearby points, flat-earth: enough to tell 150 m from 5 km, and cheap. */
function roughMeters(a: Place, b: Place): number {
  const dLat = (a.position!.lat - b.position!.lat) * 111_320;
  const dLon = (a.position!.lon - b.position!.lon) * 111_320 * Math.cos((a.position!.lat * Math.PI) / 180);
  return Math.sqrt(dLat * dLat + dLon * dLon);
}

/**
 * Whether a neighbour could reach the duplicate score, judged without comparing names: one that
 * shares a phone, e-mail or SIRET always could; one sharing only a name word must be within 5 km
 * or in the same town (a namesake across France is not a duplicate); one sharing only the cell,
 * whose name shares no word, only when it stands within 150 m (same building or next door).
 */
function worthScoring(place: Place, other: Place, kinds: number): boolean {
  if (kinds & contactBlock) return true;
  const located = place.position !== null && other.position !== null;
  if (kinds & nameBlock) {
    if (!located || roughMeters(place, other) <= 5000) return true;
    return (
      (place.postcode !== null && place.postcode === other.postcode) ||
      (place.city !== null && place.city === other.city)
    );
  }
  return located && roughMeters(place, other) <= 150;
}

export class DuplicateIndex {
  readonly #entries = new Map<string, Entry>();
  readonly #blocks = new Map<string, Set<string>>();

  get size(): number {
    return this.#entries.size;
  }

  /** Adds or replaces a record. */
  add(ref: RecordRef, values: RecordValues, roles: FieldRoles): void {
    const key = refKey(ref);
    if (this.#entries.has(key)) this.remove(ref);
    const place = toPlace(values, roles);
    const blocks = ownBlocks(place);
    this.#entries.set(key, { ref: { ...ref }, place, blocks });
    for (const block of blocks) {
      let members = this.#blocks.get(block);
      if (!members) {
        members = new Set();
        this.#blocks.set(block, members);
      }
      members.add(key);
    }
  }

  /** Removes a record; removing an absent record does nothing. */
  remove(ref: RecordRef): void {
    const key = refKey(ref);
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    for (const block of entry.blocks) {
      const members = this.#blocks.get(block);
      members?.delete(key);
      if (members?.size === 0) this.#blocks.delete(block);
    }
  }

  has(ref: RecordRef): boolean {
    return this.#entries.has(refKey(ref));
  }

  /** Likely duplicates of a record (indexed or not), best first. */
  candidates(values: RecordValues, roles: FieldRoles, options: CandidateOptions = {}): DuplicateCandidate[] {
    return this.candidatesOfPlace(toPlace(values, roles), options);
  }

  /** Likely duplicates of an indexed record among the others. */
  candidatesOf(ref: RecordRef, options: CandidateOptions = {}): DuplicateCandidate[] {
    const entry = this.#entries.get(refKey(ref));
    if (!entry) return [];
    return this.candidatesOfPlace(entry.place, { ...options, exclude: ref });
  }

  candidatesOfPlace(place: Place, options: CandidateOptions = {}): DuplicateCandidate[] {
    const minScore = options.minScore ?? likelyDuplicateScore;
    const limit = options.limit ?? 10;
    const excluded = options.exclude ? refKey(options.exclude) : null;
    // Which kinds of block each neighbour shares with the place, to skip the hopeless ones.
    const shared = new Map<string, number>();
    for (const block of queryBlocks(place)) {
      const members = this.#blocks.get(block);
      if (!members) continue;
      const kind = blockKind(block);
      if (kind === nameBlock && members.size > crowdedBlock) continue;
      for (const key of members) if (key !== excluded) shared.set(key, (shared.get(key) ?? 0) | kind);
    }
    const found: DuplicateCandidate[] = [];
    for (const [key, kinds] of shared) {
      const entry = this.#entries.get(key)!;
      if (!worthScoring(place, entry.place, kinds)) continue;
      const verdict = compareRecords(place, entry.place);
      if (verdict.score >= minScore) found.push({ ref: entry.ref, ...verdict });
    }
    found.sort((x, y) => y.score - x.score);
    return found.slice(0, limit);
  }

  /**
   * Every pair of indexed records that are likely duplicates, each pair once (the whole instance
   * checked against itself).
   */
  *likelyPairs(options: { minScore?: number } = {}): Generator<[RecordRef, DuplicateCandidate]> {
    const done = new Set<string>();
    for (const [key, entry] of this.#entries) {
      done.add(key);
      for (const candidate of this.candidatesOfPlace(entry.place, {
        minScore: options.minScore,
        limit: Number.POSITIVE_INFINITY,
        exclude: entry.ref,
      })) {
        if (!done.has(refKey(candidate.ref))) yield [entry.ref, candidate];
      }
    }
  }
}
