// Finds how a text file's bytes encode characters and decodes them exactly once.
// UTF-8 is tried first (strict); otherwise chardet proposes a single-byte family and Mac Roman is
// preferred when it yields more real accented letters (chardet cannot tell Mac Roman from 1252).

import chardet from 'chardet';

export type TextEncodingName =
  | 'utf-8'
  | 'utf-16le'
  | 'utf-16be'
  | 'windows-1252'
  | 'iso-8859-1'
  | 'iso-8859-15'
  | 'windows-1250'
  | 'iso-8859-2'
  | 'macintosh';

export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
  hasBom: boolean;
}

const sampleSize = 64 * 1024;

/** NUL bytes or many C0 control bytes mean this is not a text file (UTF-16 is checked before). */
export function looksBinary(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, 8192);
  let controls = 0;
  for (let i = 0; i < end; i++) {
    const b = bytes[i]!;
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32 && b !== 26 && b !== 27)) controls++;
  }
  return end > 0 && controls / end > 0.05;
}

export function decodeText(bytes: Uint8Array): DecodedText | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes), encoding: 'utf-8', hasBom: true };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes), encoding: 'utf-16le', hasBom: true };
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder('utf-16be').decode(bytes), encoding: 'utf-16be', hasBom: true };
  }
  if (looksBinary(bytes)) return null;
  try {
    return {
      text: new TextDecoder('utf-8', { fatal: true }).decode(bytes),
      encoding: 'utf-8',
      hasBom: false,
    };
  } catch {
    const encoding = guessSingleByteEncoding(bytes);
    return { text: decodeSingleByte(bytes, encoding), encoding, hasBom: false };
  }
}

// Windows-1252's printable characters in 0x80-0x9F (undefined positions stay as they are).
const cp1252High =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/**
 * Node 20's TextDecoder decodes windows-1252 as Latin-1 (0x80 gives U+0080, not €), unlike
 * browsers and the WHATWG spec: the C1 range is mapped by hand so both give the same text.
 */
export function decodeSingleByte(bytes: Uint8Array, encoding: TextEncodingName): string {
  const text = new TextDecoder(encoding).decode(bytes);
  if (encoding !== 'windows-1252' && encoding !== 'iso-8859-1') return text;
  return text.replace(/[\u0080-\u009f]/g, (c) => cp1252High[c.charCodeAt(0) - 0x80]!);
}

const chardetNames: Record<string, TextEncodingName> = {
  'windows-1252': 'windows-1252',
  'iso-8859-1': 'iso-8859-1',
  'iso-8859-15': 'iso-8859-15',
  'windows-1250': 'windows-1250',
  'iso-8859-2': 'iso-8859-2',
};

export function guessSingleByteEncoding(bytes: Uint8Array): TextEncodingName {
  const sample = highByteSample(bytes);
  const proposed = chardet.analyse(sample).find((match) => chardetNames[match.name.toLowerCase()]);
  let best: TextEncodingName = proposed ? chardetNames[proposed.name.toLowerCase()]! : 'windows-1252';
  // Latin-1 has no printable characters in 0x80-0x9F: with any such byte it is really 1252.
  if (best === 'iso-8859-1' && sample.some((b) => b >= 0x80 && b <= 0x9f)) best = 'windows-1252';
  if (accentedLetterScore(sample, 'macintosh') > accentedLetterScore(sample, 'windows-1252'))
    return 'macintosh';
  return best;
}

/** Up to `sampleSize` bytes around the non-ASCII bytes, which are the only ones that discriminate. */
function highByteSample(bytes: Uint8Array): Uint8Array {
  if (bytes.length <= sampleSize) return bytes;
  const first = bytes.findIndex((b) => b >= 0x80);
  const start = Math.max(0, Math.min(first - 1024, bytes.length - sampleSize));
  return bytes.subarray(start, start + sampleSize);
}

const commonAccentedLetters = new Set('àâäáãåçéèêëíìîïñóòôöõúùûüÿœæÀÂÄÁÇÉÈÊËÎÏÔÖÙÛÜŒÆß');

/**
 * Real accented letters outscore symbols; a lower-case accent after a lower-case letter ("é" in
 * "Café") counts most, an upper-case one inside a lower-case word ("CafÈ") counts against.
 */
function accentedLetterScore(sample: Uint8Array, encoding: TextEncodingName): number {
  let score = 0;
  let previous = '';
  for (const char of decodeSingleByte(sample, encoding)) {
    if (char.charCodeAt(0) >= 0x80) {
      if (!commonAccentedLetters.has(char)) score -= 1;
      else if (char !== char.toLowerCase()) score += /[a-z]/.test(previous) ? -1 : 1;
      else score += /[a-zà-ÿ]/.test(previous) ? 2 : 1;
    }
    previous = char;
  }
  return score;
}
