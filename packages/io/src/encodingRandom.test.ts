// Seeded random French tables written in Windows-1252, ISO-8859-1, Mac Roman and UTF-8 must come
// back with the right encoding named and every accent intact. Replay with DATAPATCH_SEED=<seed>;
// DATAPATCH_EXTENSIVE=1 runs many more files.
import { expect, it } from 'vitest';
import { importFile } from './index.ts';
import { mulberry32, testSeed } from './seededRandom.ts';
import { decodeSingleByte, type TextEncodingName } from './textEncoding.ts';

/** Encodes text in a single-byte encoding by inverting its decoder. */
function encoder(encoding: TextEncodingName): (text: string) => Uint8Array {
  const high = decodeSingleByte(
    Uint8Array.from({ length: 128 }, (_, i) => 0x80 + i),
    encoding,
  );
  const byChar = new Map([...high].map((c, i) => [c, 0x80 + i]));
  return (text) =>
    Uint8Array.from([...text], (c) => (c.charCodeAt(0) < 0x80 ? c.charCodeAt(0) : byChar.get(c)!));
}

const seed = testSeed();
const files = process.env.DATAPATCH_EXTENSIVE ? 2000 : 200;
const words = [
  'Mairie',
  'école',
  'Hélène',
  'François',
  'Besançon',
  'Orléans',
  'théâtre',
  'Nîmes',
  'rue',
  'Sète',
  'bibliothèque',
  'Angoulême',
  'Noël',
  'œuvre',
  'Saint-Étienne',
  'à',
  'côté',
  'gîte',
  'maïs',
  'Dole',
  '12',
  'l’atelier',
  '5 €',
];

it(`single-byte French files decode with the right encoding (seed ${seed}, ${files} files)`, async () => {
  console.log(`[encoding random] DATAPATCH_SEED=${seed}`);
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const encodings: TextEncodingName[] = ['windows-1252', 'macintosh', 'utf-8'];
  for (let file = 0; file < files; file++) {
    const rows = Array.from({ length: 2 + Math.floor(random() * 20) }, () =>
      [1, 2, 3].map(() => Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(words)).join(' ')),
    );
    const text = `nom;adresse;commune\n${rows.map((r) => r.join(';')).join('\n')}\n`;
    const encoding = pick(encodings);
    if (!/[^ -~\n]/.test(text)) continue; // nothing outside printable ASCII
    const bytes = encoding === 'utf-8' ? new TextEncoder().encode(text) : encoder(encoding)(text);
    const result = await importFile(bytes);
    const context = `seed ${seed}, file ${file}, ${encoding}`;
    expect(result.ok, context).toBe(true);
    if (!result.ok) return;
    // Without any byte in 0x80-0x9F (€ ’ œ…), Windows-1252 and ISO-8859-1 are the same bytes.
    const isLatin1 = encoding === 'windows-1252' && !bytes.some((b) => b >= 0x80 && b <= 0x9f);
    expect(result.report.encoding, context).toBe(isLatin1 ? 'iso-8859-1' : encoding);
    expect(
      result.table.rows.map((r) => [r.nom, r.adresse, r.commune]),
      context,
    ).toEqual(rows);
  }
});
