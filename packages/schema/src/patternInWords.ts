// A field's pattern said as a person understands it ("la valeur doit compter 5 chiffres
// (exemple : 75000)"), never the regular expression itself. Only simple patterns (characters,
// classes, counts) are described; any other gets "the expected form" and an example when known.

import type { Message } from './validationMessages.ts';

type Atom = { chars: string; digits: boolean; min: number; max: number };

/** The atoms of a simple pattern, or null when it uses groups, alternatives or look-arounds. */
function atomsOf(pattern: string): Atom[] | null {
  let source = pattern;
  if (source.startsWith('^')) source = source.slice(1);
  if (source.endsWith('$') && !source.endsWith('\\$')) source = source.slice(0, -1);
  const atoms: Atom[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    let chars: string;
    if (c === '\\') {
      const next = source[i + 1];
      if (next === undefined) return null;
      if (next === 'd') chars = '0123456789';
      else if (/[A-Za-z]/.test(next)) return null;
      else chars = next;
      i += 2;
    } else if (c === '[') {
      const end = source.indexOf(']', i + 1);
      if (end < 0 || source[i + 1] === '^') return null;
      const body = source.slice(i + 1, end);
      chars = '';
      for (let k = 0; k < body.length; k++) {
        const from = body[k] as string;
        if (from === '\\') return null;
        if (body[k + 1] === '-' && body[k + 2] !== undefined) {
          const to = body[k + 2] as string;
          for (let code = from.charCodeAt(0); code <= to.charCodeAt(0); code++)
            chars += String.fromCharCode(code);
          k += 2;
        } else chars += from;
      }
      if (chars === '') return null;
      i = end + 1;
    } else if ('()|.?*+{}^$'.includes(c)) return null;
    else {
      chars = c;
      i++;
    }
    let min = 1;
    let max = 1;
    const count = /^\{(\d+)(?:(,)(\d*))?\}/.exec(source.slice(i));
    if (count !== null) {
      min = Number(count[1]);
      max = count[2] === undefined ? min : count[3] === '' ? Number.POSITIVE_INFINITY : Number(count[3]);
      i += count[0].length;
    } else if (source[i] === '?' || source[i] === '*' || source[i] === '+') {
      min = source[i] === '+' ? 1 : 0;
      max = source[i] === '?' ? 1 : Number.POSITIVE_INFINITY;
      i++;
    }
    atoms.push({ chars, digits: /^\d+$/.test(chars), min, max });
  }
  return atoms.length > 0 ? atoms : null;
}

/** The shortest value the pattern accepts, built from the first character of each atom. */
function exampleOf(atoms: Atom[]): string {
  return atoms.map((a) => (a.chars[0] as string).repeat(a.min)).join('');
}

function count(min: number, max: number, fr: string, en: string): Message {
  const plural = (n: number, word: string) => `${n} ${word}${n > 1 ? 's' : ''}`;
  if (min === max) return { fr: plural(min, fr), en: plural(min, en) };
  if (max === Number.POSITIVE_INFINITY)
    return { fr: `au moins ${plural(min, fr)}`, en: `at least ${plural(min, en)}` };
  return { fr: `entre ${min} et ${plural(max, fr)}`, en: `between ${min} and ${plural(max, en)}` };
}

/**
 * What a value must look like, without the field name: "la valeur doit compter 5 chiffres
 * (exemple : 75000)". `example` is the schema's own example, preferred to a made-up one.
 */
export function patternInWords(pattern: string, example?: string): Message {
  const atoms = atomsOf(pattern);
  const shown = example ?? (atoms === null ? undefined : exampleOf(atoms));
  const suffix =
    shown === undefined || shown === ''
      ? { fr: '', en: '' }
      : { fr: ` (exemple : ${shown})`, en: ` (example: ${shown})` };
  if (atoms?.every((a) => a.digits)) {
    const n = count(
      atoms.reduce((s, a) => s + a.min, 0),
      atoms.reduce((s, a) => s + a.max, 0),
      'chiffre',
      'digit',
    );
    return {
      fr: `la valeur doit compter ${n.fr}${suffix.fr}`,
      en: `the value must have ${n.en}${suffix.en}`,
    };
  }
  if (shown !== undefined && shown !== '')
    return {
      fr: `la valeur doit s’écrire comme dans l’exemple : ${shown}`,
      en: `the value must be written like the example: ${shown}`,
    };
  return {
    fr: 'la valeur n’a pas la forme attendue par le schéma',
    en: 'the value does not have the form the schema expects',
  };
}
