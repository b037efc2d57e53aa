/**
 * How two spellings of the same place are made comparable: accents, case, punctuation and common
 * French abbreviations are folded; stop words are dropped; generic words ("France services",
 * "mairie", "espace"…) are kept apart so they never make two places look alike on their own.
 */

const stopWords = new Set(
  'a au aux d de des du en et l la le les pour sur un une the of and avec par dans chez'.split(' '),
);

/** Words that name a kind of place, not one place: a name made only of these says little. */
const genericWords = new Set(
  [
    'france services service espace espaces maison maisons mairie hotel ville centre point relais',
    'accueil public publics numerique numeriques mediatheque bibliotheque association communaute',
    'communes commune agglomeration cc ca ccas cias msap pimms epn site antenne annexe social sociale',
    'culturel culturelle municipal municipale intercommunal intercommunale bus itinerant itinerante',
    'tiers lieu lieux cyber base local locale bureau poste structure pole emploi inclusion sas sarl',
    'sa ste societe aidant aidants connect mfs cms mjc fablab jeunes jeunesse quartier cyberespace',
    'multimedia mediation information mission agence postale ilots',
  ]
    .join(' ')
    .split(' '),
);

/**
 * Kinds of place a name says it is. Two names of different kinds ("EPN Planoise", "France
 * services Planoise") are two places even when the rest of the name is the same; one town
 * usually has one place of the kinds marked `onePerTown`.
 */
const placeKinds: { kind: string; pattern: RegExp; onePerTown?: boolean }[] = [
  {
    kind: 'france-services',
    pattern: /\b(france services?|msap|mfs|maison (de |des )?services?( au| aux)?( public)?)\b/,
    onePerTown: true,
  },
  {
    kind: 'digital-space',
    pattern:
      /\b(epn|espace (public )?numerique|cyber ?(base|espace)|cyberespace|point numerique|(pole|espace) multimedia)\b/,
  },
  { kind: 'fablab', pattern: /\bfab ?lab\b/ },
  { kind: 'social-action', pattern: /\b(ccas|cias|action sociale)\b/, onePerTown: true },
  { kind: 'medico-social', pattern: /\b(cms|centre medico social)\b/ },
  {
    kind: 'social-centre',
    pattern: /\b(centres? sociaux?|maison (de |du )?quartier|maison pour tous|antenne sociale)\b/,
  },
  {
    kind: 'youth',
    pattern: /\b(mjc|maison (des )?jeunes|bij|pij|crij|information jeunesse|espace jeunes?)\b/,
  },
  { kind: 'library', pattern: /\b(bibliotheque|mediatheque)\b/ },
  { kind: 'town-hall', pattern: /\b(mairie|hotel de ville)\b/, onePerTown: true },
  { kind: 'job-centre', pattern: /\bpole emploi\b/ },
  { kind: 'mission-locale', pattern: /\bmission locale\b/, onePerTown: true },
  {
    kind: 'post-office',
    pattern: /\b(la poste|bureau de poste|agence postale|ilots? numeriques?)\b/,
    onePerTown: true,
  },
  { kind: 'bank', pattern: /\b(credit agricole|banque|caisse d epargne|credit mutuel)\b/ },
  { kind: 'mobile', pattern: /\b(bus|itinerante?s?|camping car)\b/ },
];

export const onePerTownKinds: ReadonlySet<string> = new Set(
  placeKinds.filter((k) => k.onePerTown).map((k) => k.kind),
);

/** The kinds of place a name names ("MSAP de Guise" → france-services). */
export function kindsOfPlace(name: string): Set<string> {
  const folded = foldText(name);
  const kinds = new Set<string>();
  for (const { kind, pattern } of placeKinds) if (pattern.test(folded)) kinds.add(kind);
  return kinds;
}

const abbreviations: Record<string, string> = {
  st: 'saint',
  ste: 'sainte',
  av: 'avenue',
  ave: 'avenue',
  bd: 'boulevard',
  bld: 'boulevard',
  blvd: 'boulevard',
  r: 'rue',
  pl: 'place',
  pce: 'place',
  rte: 'route',
  chem: 'chemin',
  ch: 'chemin',
  imp: 'impasse',
  all: 'allee',
  sq: 'square',
  fbg: 'faubourg',
  fg: 'faubourg',
  crs: 'cours',
  qu: 'quai',
  esp: 'esplanade',
  res: 'residence',
  lot: 'lotissement',
  zi: 'zone',
  za: 'zone',
  mjc: 'maison jeunes culture',
  fs: 'france services',
  mfs: 'maison france services',
  msap: 'maison services public',
  hdv: 'hotel ville',
  gal: 'general',
  gen: 'general',
  mal: 'marechal',
  pdt: 'president',
  prof: 'professeur',
  dr: 'docteur',
  cdt: 'commandant',
  cne: 'commune',
};

/** Lower case, no accents, ligatures unfolded, anything but letters and digits becomes a space. */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Folded words with abbreviations expanded ("St-Jean" → saint jean, "av." → avenue). */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const word of foldText(text).split(' ')) {
    if (word === '') continue;
    const expanded = abbreviations[word];
    if (expanded) out.push(...expanded.split(' '));
    else out.push(word);
  }
  return out;
}

export interface NameTokens {
  /** Words that tell this place from others of its kind ("valserhone", "guise"). */
  distinctive: string[];
  /** Generic words ("france", "services", "mairie"), kept to compare names made only of them. */
  generic: string[];
}

export function nameTokens(name: string): NameTokens {
  const distinctive: string[] = [];
  const generic: string[] = [];
  for (const word of words(name)) {
    if (stopWords.has(word)) continue;
    if (genericWords.has(word)) generic.push(word);
    else distinctive.push(word);
  }
  return { distinctive, generic };
}

/**
 * A French phone number as its 9 national digits ("0450568749", "+33 4 50 56 87 49",
 * "04.50.56.87.49" → "450568749"), or null when it is not one. Other countries keep their digits.
 */
export function normalisePhone(text: string): string | null {
  const first = text.split(/[/;|]|\bou\b/)[0] ?? '';
  let digits = first.replace(/\(0\)/g, '').replace(/[^\d+]/g, '');
  if (digits.startsWith('+33')) digits = digits.slice(3);
  else if (digits.startsWith('0033')) digits = digits.slice(4);
  else if (digits.startsWith('+')) return digits.length >= 8 ? digits : null;
  if (digits.length === 10 && digits.startsWith('0')) digits = digits.slice(1);
  return digits.length === 9 ? digits : null;
}

/** 14 digits (a SIRET) or 9 (a SIREN), spaces removed; null otherwise. */
export function normaliseSiret(text: string): string | null {
  const digits = text.replace(/[\s.]/g, '');
  return /^\d{14}$/.test(digits) || /^\d{9}$/.test(digits) ? digits : null;
}

export function normaliseEmail(text: string): string | null {
  const match = /[^\s<>,;]+@[^\s<>,;]+\.[a-z]{2,}/i.exec(text);
  return match ? match[0].toLowerCase() : null;
}

export interface AddressKey {
  /** The house number with the first letter of its suffix ("5", "12b" for 12 bis), or null. */
  number: string | null;
  /** The street's words without the number, stop words dropped. */
  street: string[];
}

export function addressKey(text: string): AddressKey {
  const all = words(text.replace(/(\d)\s*-\s*\d+/g, '$1'));
  let number: string | null = null;
  const street: string[] = [];
  for (let i = 0; i < all.length; i++) {
    const word = all[i]!;
    const numbered = /^(\d+)(bis|ter|[a-z])?$/.exec(word);
    if (number === null && street.length === 0 && numbered) {
      // "6bis", "6 bis" and "6b" are one number.
      const next = all[i + 1];
      let suffix = numbered[2]?.[0] ?? '';
      if (suffix === '' && (next === 'bis' || next === 'ter' || next === 'b')) {
        suffix = next[0]!;
        i++;
      }
      number = numbered[1]! + suffix;
      continue;
    }
    if (stopWords.has(word)) continue;
    street.push(word);
  }
  return { number, street };
}
