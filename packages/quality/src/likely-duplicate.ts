/**
 * Whether two places are likely the same: each clue (name, distance, address, phone, e-mail,
 * SIRET, town) adds or removes evidence; the sum becomes a score in [0, 1]. A clearly different
 * name outweighs a shared address and phone (two services in one town hall are two places).
 */

import { onePerTownKinds } from './normalize.ts';
import { distanceMeters, type Place } from './place.ts';
import { jaroWinkler, tokenSimilarity, trigramDice } from './similarity.ts';

/** What made two records look alike, for display ("même nom, à 40 m"). */
export type DuplicateReason =
  | { code: 'same-name' }
  | { code: 'similar-name' }
  | { code: 'nearby'; meters: number }
  | { code: 'same-address' }
  | { code: 'same-phone' }
  | { code: 'same-email' }
  | { code: 'same-siret' }
  | { code: 'same-town' };

export interface DuplicateVerdict {
  /** In [0, 1]; at or above `likelyDuplicateScore` the pair is shown as a likely duplicate. */
  score: number;
  reasons: DuplicateReason[];
  /** Name similarity in [0, 1], for display and tuning. */
  nameSimilarity: number;
  meters: number | null;
}

export const likelyDuplicateScore = 0.5;

function townWords(place: Place): Set<string> {
  return new Set(place.city ? place.city.split(' ') : []);
}

/** The names say two different kinds of place (a library, a France services; a bus, a building). */
export function differentKinds(a: Place, b: Place): boolean {
  if (a.kinds.has('mobile') !== b.kinds.has('mobile')) return true;
  if (a.kinds.size === 0 || b.kinds.size === 0) return false;
  for (const kind of a.kinds) if (b.kinds.has(kind)) return false;
  return true;
}

/**
 * Name similarity: on distinctive words when both names have some beyond the town's name;
 * otherwise on all words, capped, since "Mairie de Guise" and "France services Guise" share only
 * words that many places share.
 */
export function nameSimilarity(a: Place, b: Place): number {
  if (a.nameText === '' || b.nameText === '') return 0;
  if (a.nameText === b.nameText) return a.name.distinctive.length > 0 ? 1 : 0.9;
  const towns = new Set([...townWords(a), ...townWords(b)]);
  const da = a.name.distinctive.filter((w) => !towns.has(w));
  const db = b.name.distinctive.filter((w) => !towns.has(w));
  let sim: number;
  if (da.length > 0 && db.length > 0) {
    sim = Math.max(tokenSimilarity(da, db), trigramDice(da.join(''), db.join('')));
  } else {
    const all = (p: Place) => [...p.name.distinctive, ...p.name.generic];
    const tokens = tokenSimilarity(all(a), all(b));
    // Names made of the kind of place and the town ("France services de Guise") are the same
    // name when all their words are; one with words of its own the other lacks is likely another.
    sim = da.length + db.length === 0 ? Math.min(0.95, tokens) : Math.min(0.9, tokens * 0.8);
  }
  if (differentKinds(a, b)) return Math.min(0.45, sim * 0.5);
  const shared = [...a.kinds].filter((k) => b.kinds.has(k));
  // "MSAP Is-sur-Tille" and "France services Is-sur-Tille": the town's one place of that kind.
  if (shared.some((k) => onePerTownKinds.has(k)) && (da.length === 0 || db.length === 0))
    return Math.max(sim, 0.8);
  return sim;
}

function sameAddress(a: Place, b: Place): 'same' | 'same-street' | 'different' | 'unknown' {
  if (!a.address || !b.address || a.address.street.length === 0 || b.address.street.length === 0)
    return 'unknown';
  const street = tokenSimilarity(a.address.street, b.address.street);
  if (street < 0.85) return 'different';
  if (a.address.number && b.address.number && a.address.number !== b.address.number) return 'same-street';
  return 'same';
}

export function compareRecords(a: Place, b: Place): DuplicateVerdict {
  const reasons: DuplicateReason[] = [];
  let evidence = 0;

  const name = nameSimilarity(a, b);
  if (a.nameText !== '' && b.nameText !== '') {
    if (name >= 0.95) {
      evidence += 3;
      reasons.push({ code: 'same-name' });
    } else if (name >= 0.85) {
      evidence += 2;
      reasons.push({ code: 'similar-name' });
    } else if (name >= 0.7) {
      evidence += 1;
      reasons.push({ code: 'similar-name' });
    } else if (name < 0.5) {
      // A name made only of generic words and the town ("France services Amancey") is often
      // renamed ("MFS Communauté de communes Loue Lison"): a weaker clue against. Names of two
      // kinds of place are a strong one: a town hall houses several services.
      const generic = (p: Place) => p.name.distinctive.every((w) => townWords(p).has(w));
      evidence -= differentKinds(a, b) ? 4.5 : generic(a) || generic(b) ? 1.5 : 3;
    }
  }

  let meters: number | null = null;
  if (a.position && b.position) {
    meters = distanceMeters(a.position, b.position);
    if (meters <= 30) evidence += 2;
    else if (meters <= 100) evidence += 1.5;
    else if (meters <= 300) evidence += 1;
    else if (meters <= 1000) evidence += 0.3;
    else {
      // A place given without a street was often put at the town's centre: its distance says less.
      const streetless = !a.address?.street.length || !b.address?.street.length;
      if (meters <= 5000) evidence -= streetless ? 0 : 1;
      else evidence -= streetless ? 1.5 : 3;
    }
    if (meters <= 1000) reasons.push({ code: 'nearby', meters: Math.round(meters) });
  }
  const sameTown =
    (a.postcode !== null && a.postcode === b.postcode) ||
    (a.city !== null && b.city !== null && jaroWinkler(a.city, b.city) >= 0.95);
  if (sameTown) {
    evidence += 0.5;
    if (meters === null) reasons.push({ code: 'same-town' });
  } else if (meters === null && a.city && b.city) evidence -= 2;

  const address = sameAddress(a, b);
  if (address === 'same' && (sameTown || (meters !== null && meters <= 1000))) {
    evidence += 1.5;
    reasons.push({ code: 'same-address' });
  } else if (address === 'same-street') evidence -= 0.5;

  if (a.phone && b.phone) {
    if (a.phone === b.phone) {
      evidence += 2;
      reasons.push({ code: 'same-phone' });
    }
  }
  if (a.email && b.email && a.email === b.email) {
    evidence += 1.5;
    reasons.push({ code: 'same-email' });
  }
  if (a.siret && b.siret) {
    if (a.siret === b.siret) {
      evidence += 3;
      reasons.push({ code: 'same-siret' });
    } else if (a.siret.length === b.siret.length) evidence -= 3;
  }

  const score = 1 / (1 + Math.exp(-(evidence - 3)));
  return { score: Math.round(score * 1000) / 1000, reasons, nameSimilarity: name, meters };
}
