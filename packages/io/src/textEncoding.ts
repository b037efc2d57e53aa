// Finds how a text file's bytes encode characters and decodes them exactly once.
// UTF-8 is tried first (strict); otherwise Windows-1252 (ISO-8859-1 when no byte is in 0x80-0x9F)
// or Mac Roman, whichever decodes into more plausible accented letters.
// chardet was tried and dropped: it named short French files windows-1250 and Mac Roman files
// windows-1252, i.e. it was wrong on exactly the files this project receives.

export type TextEncodingName =
  | 'utf-8'
  | 'utf-16le'
  | 'utf-16be'
  | 'windows-1252'
  | 'iso-8859-1'
  | 'macintosh';

export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
  hasBom: boolean;
  /** UTF-8 cut in the middle of its last character (a file cut by size): it became U+FFFD. */
  truncatedCharacter?: boolean;
  /** Stray single bytes in an otherwise UTF-8 file (pasted Windows-1252 text), read as 1252. */
  strayBytes?: number;
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
    const cut = incompleteTail(bytes);
    if (cut > 0) {
      try {
        const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, bytes.length - cut));
        return { text: `${text}\uFFFD`, encoding: 'utf-8', hasBom: false, truncatedCharacter: true };
      } catch {
        // Invalid before the end too: not UTF-8.
      }
    }
    const mixed = decodeMixedUtf8(bytes);
    if (mixed) return { text: mixed.text, encoding: 'utf-8', hasBom: false, strayBytes: mixed.strayBytes };
    const encoding = guessSingleByteEncoding(bytes);
    return { text: decodeSingleByte(bytes, encoding), encoding, hasBom: false };
  }
}

/** Length of the valid UTF-8 sequence starting at `i`, or 0. */
function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  if (b < 0x80) return 1;
  const continuation = (at: number, low = 0x80, high = 0xbf) => {
    const c = bytes[at];
    return c !== undefined && c >= low && c <= high;
  };
  if (b >= 0xc2 && b <= 0xdf) return continuation(i + 1) ? 2 : 0;
  if (b >= 0xe0 && b <= 0xef) {
    const low = b === 0xe0 ? 0xa0 : 0x80;
    const high = b === 0xed ? 0x9f : 0xbf;
    return continuation(i + 1, low, high) && continuation(i + 2) ? 3 : 0;
  }
  if (b >= 0xf0 && b <= 0xf4) {
    const low = b === 0xf0 ? 0x90 : 0x80;
    const high = b === 0xf4 ? 0x8f : 0xbf;
    return continuation(i + 1, low, high) && continuation(i + 2) && continuation(i + 3) ? 4 : 0;
  }
  return 0;
}

/**
 * A UTF-8 file with a few stray bytes (Windows-1252 text pasted into it) keeps its UTF-8 and reads
 * only the stray bytes as 1252; a file with more stray bytes than UTF-8 characters is not UTF-8.
 */
function decodeMixedUtf8(bytes: Uint8Array): { text: string; strayBytes: number } | null {
  let multibyte = 0;
  const stray: number[] = [];
  for (let i = 0; i < bytes.length; ) {
    if (bytes[i]! < 0x80) {
      i++;
      continue;
    }
    const length = utf8SequenceLength(bytes, i);
    if (length === 0) {
      stray.push(i);
      i++;
    } else {
      multibyte++;
      i += length;
    }
  }
  if (multibyte === 0 || stray.length > multibyte) return null;
  const utf8 = new TextDecoder('utf-8');
  const parts: string[] = [];
  let start = 0;
  for (const at of stray) {
    parts.push(
      utf8.decode(bytes.subarray(start, at)),
      decodeSingleByte(bytes.subarray(at, at + 1), 'windows-1252'),
    );
    start = at + 1;
  }
  parts.push(utf8.decode(bytes.subarray(start)));
  return { text: parts.join(''), strayBytes: stray.length };
}

/** How many bytes at the end start a UTF-8 sequence that the file does not finish (0 if none). */
function incompleteTail(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back]!;
    if (b < 0x80) return 0;
    if (b >= 0xc0) {
      const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return length > back ? back : 0;
    }
  }
  return 0;
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

export function guessSingleByteEncoding(bytes: Uint8Array): TextEncodingName {
  const sample = highByteSample(bytes);
  if (accentedLetterScore(sample, 'macintosh') > accentedLetterScore(sample, 'windows-1252'))
    return 'macintosh';
  // Latin-1 has no printable characters in 0x80-0x9F: with any such byte it is really 1252.
  return bytes.some((b) => b >= 0x80 && b <= 0x9f) ? 'windows-1252' : 'iso-8859-1';
}

/** Up to `sampleSize` bytes around the non-ASCII bytes, which are the only ones that discriminate. */
function highByteSample(bytes: Uint8Array): Uint8Array {
  if (bytes.length <= sampleSize) return bytes;
  const first = bytes.findIndex((b) => b >= 0x80);
  const start = Math.max(0, Math.min(first - 1024, bytes.length - sampleSize));
  return bytes.subarray(start, start + sampleSize);
}

const frenchLetters = new Set('éèàêçùâîôûëïüÿœæÉÈÀÊÇÙÂÎÔÛËÏÜŸŒÆ');
// Typographic marks common in real 1252 text; neutral so they count neither way.
const typography = new Set('’‘“”«»€–—…•°\u00a0');

/**
 * How French the non-ASCII characters of a decoding look: common French letters score, other
 * letters and typography are neutral, symbols and control characters cost, and an upper-case
 * accent inside a lower-case word ("CafÈ", what 1252 "é" becomes in Mac Roman) costs most.
 */
function accentedLetterScore(sample: Uint8Array, encoding: TextEncodingName): number {
  let score = 0;
  let previous = '';
  for (const char of decodeSingleByte(sample, encoding)) {
    if (char.charCodeAt(0) >= 0x80) {
      const upper = char !== char.toLowerCase();
      if (upper && /[a-zà-ÿ]/.test(previous)) score -= 2;
      else if (frenchLetters.has(char)) score += 2;
      else if (!/\p{L}/u.test(char) && !typography.has(char)) score -= 1;
    }
    previous = char;
  }
  return score;
}
