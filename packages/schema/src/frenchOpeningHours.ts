// French opening hours as people write them ("du lundi au vendredi 9h-12h et 14h-18h", "fermé le
// dimanche", "24 h / 24") → the OpenStreetMap opening_hours form. Pure and library-free, so the
// browser can propose it too. It answers null as soon as one word is not understood: no guess.

const dayCodes: Record<string, string> = {
  lundi: 'Mo',
  lun: 'Mo',
  mardi: 'Tu',
  mar: 'Tu',
  mercredi: 'We',
  mer: 'We',
  jeudi: 'Th',
  jeu: 'Th',
  vendredi: 'Fr',
  ven: 'Fr',
  samedi: 'Sa',
  sam: 'Sa',
  dimanche: 'Su',
  dim: 'Su',
};

type Token =
  | { kind: 'day'; code: string }
  | { kind: 'time'; range: string }
  | { kind: 'range' }
  | { kind: 'and' }
  | { kind: 'off' }
  | { kind: 'every-day' };

const clock = String.raw`(\d{1,2})\s*(?:(h|:)\s*(\d{2})?)?|(midi|minuit)`;
const timeRange = new RegExp(
  String.raw`(?:${clock})\s*(?:-|–|—|a|jusqu'?a)\s*(?:${clock})(?![\p{L}\d])`,
  'uy',
);
const fullDay =
  /(?:ouvert\s*)?(?:24\s*h?\s*\/\s*24|24\s*h\s*sur\s*24)(?:\s*(?:,|et)?\s*(?:7\s*j(?:ours)?\s*(?:\/|sur)\s*7))?/y;
const everyDay = /(?:tous\s+les\s+jours|7\s*j(?:ours)?\s*(?:\/|sur)\s*7|toute\s+la\s+semaine)/y;
const holidays = /(?:les\s+)?jours?\s+feries?|feries?/y;
const closed = /(?:ferme(?:e|s|es)?|fermeture)(?![\p{L}])/uy;
const word = /[\p{L}']+\.?/uy;
const filler = /[\s,;:/&+|]+/y;
/** Words that carry no meaning of their own here. */
const ignored = new Set(['de', 'du', 'le', 'les', 'l', "l'", 'ouvert', 'ouverte', 'ouverts', 'puis', 'h']);

function hhmm(hours: string | undefined, minutes: string | undefined, named: string | undefined) {
  if (named === 'midi') return '12:00';
  if (named === 'minuit') return '24:00';
  const h = Number(hours);
  const m = minutes === undefined ? 0 : Number(minutes);
  if (!Number.isInteger(h) || h > 24 || m > 59 || (h === 24 && m > 0)) return null;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** Each reading tried in order at the current position: its pattern, and the tokens it gives (null: refuse). */
const readings: [RegExp, (m: RegExpExecArray) => Token[] | null][] = [
  // A comma, slash, bar or "&" between two items lists them, like "et".
  [filler, (m) => (/[,&/+|]/.test(m[0]) ? [{ kind: 'and' }] : [])],
  [fullDay, () => [{ kind: 'every-day' }, { kind: 'time', range: '00:00-24:00' }]],
  [
    timeRange,
    (m) => {
      // "9-12" alone could be anything (dates, ages): one end must say h, : or midi.
      const marked = m[2] !== undefined || m[4] !== undefined || m[6] !== undefined || m[8] !== undefined;
      const from = hhmm(m[1], m[3], m[4]);
      const to = hhmm(m[5], m[7], m[8]);
      return marked && from !== null && to !== null ? [{ kind: 'time', range: `${from}-${to}` }] : null;
    },
  ],
  [everyDay, () => [{ kind: 'every-day' }]],
  [holidays, () => [{ kind: 'day', code: 'PH' }]],
  [closed, () => [{ kind: 'off' }]],
  [/[-–]/y, () => [{ kind: 'range' }]],
  [
    word,
    (m) => {
      const w = m[0].replace(/\.$/, '');
      const day = dayCodes[w] ?? dayCodes[w.replace(/s$/, '')];
      if (day) return [{ kind: 'day', code: day }];
      if (w === 'au' || w === 'a') return [{ kind: 'range' }];
      if (w === 'et') return [{ kind: 'and' }];
      return ignored.has(w) ? [] : null;
    },
  ],
];

function tokenize(text: string): Token[] | null {
  const tokens: Token[] = [];
  let at = 0;
  next: while (at < text.length) {
    for (const [pattern, read] of readings) {
      pattern.lastIndex = at;
      const m = pattern.exec(text);
      if (m === null) continue;
      const found = read(m);
      if (found === null) return null;
      tokens.push(...found);
      at += m[0].length;
      continue next;
    }
    return null;
  }
  return tokens;
}

interface Rule {
  days: string[];
  times: string[];
  off: boolean;
}

/**
 * The OpenStreetMap opening_hours value a French text means ("Mardi 12h-14h mercredi 12h-18h" →
 * "Tu 12:00-14:00; We 12:00-18:00"), or null when the text holds anything it cannot read.
 */
export function frenchOpeningHours(text: string): string | null {
  const normalized = text.normalize('NFD').replace(/\p{M}/gu, '').replace(/[’`]/g, "'").toLowerCase().trim();
  if (normalized === '') return null;
  const tokens = tokenize(normalized);
  if (tokens === null || tokens.length === 0) return null;
  const rules: Rule[] = [];
  let rule: Rule = { days: [], times: [], off: false };
  let previous: Token['kind'] | null = null;
  const startRule = () => {
    rules.push(rule);
    rule = { days: [], times: [], off: false };
  };
  for (const token of tokens) {
    switch (token.kind) {
      case 'day':
      case 'every-day': {
        const code = token.kind === 'day' ? token.code : 'Mo-Su';
        const continues =
          previous === 'and' ||
          previous === 'range' ||
          previous === 'day' ||
          previous === 'every-day' ||
          previous === 'off';
        // A day after hours (or after "fermé lundi") opens a new rule, unless the hours came first.
        if (
          (rule.times.length > 0 && rule.days.length > 0) ||
          (rule.off && rule.days.length > 0 && !continues)
        )
          startRule();
        const last = rule.days[rule.days.length - 1];
        if (
          previous === 'range' &&
          last !== undefined &&
          !last.includes('-') &&
          code !== 'PH' &&
          last !== 'PH'
        )
          rule.days[rule.days.length - 1] = `${last}-${code}`;
        else rule.days.push(code);
        break;
      }
      case 'time':
        if (rule.off) startRule();
        rule.times.push(token.range);
        break;
      case 'off':
        if (rule.times.length > 0) startRule();
        rule.off = true;
        break;
      case 'range':
        if (previous !== 'day') return null;
        break;
      case 'and':
        break;
    }
    previous = token.kind;
  }
  rules.push(rule);
  const written: string[] = [];
  const closings: string[] = [];
  for (const r of rules) {
    if (r.days.length === 0 && r.times.length === 0 && !r.off) continue;
    // Days named with no hours and not closed say nothing usable; "fermé" alone closes everything.
    if (r.times.length === 0 && !r.off) return null;
    const days = [...new Set(r.days)].join(',');
    if (r.off) closings.push(days ? `${days} off` : 'off');
    else if (days === 'Mo-Su' && r.times.join(',') === '00:00-24:00') written.push('24/7');
    else written.push(days ? `${days} ${r.times.join(',')}` : r.times.join(','));
  }
  // Closed days last: in opening_hours a later rule overrides an earlier one for the same day.
  const value = [...written, ...closings].join('; ');
  return value === '' ? null : value;
}
