/**
 * A small stand-in for `app/build` in a temporary folder, shaped like adapter-static's output:
 * index.html with SvelteKit's CSP `<meta>` and inline boot script, a hashed file with its `.br`
 * and `.gz` beside it, a service worker without variants and a PNG. The compressed variants hold a different text
 * than the plain file, so a test can tell which file was sent after fetch decoded it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { DatasetRegistry, DatasetSummary } from '../store/dataset-registry.ts';

export const BUILT_POLICY =
  "default-src 'self'; script-src 'self' 'sha256-BOOT'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:";

export const BUILT_INDEX = `<!doctype html>
<html lang="fr">
  <head>
    <meta charset="utf-8" />
    <title>Data Patch</title>
    <meta http-equiv="content-security-policy" content="${BUILT_POLICY}">
    <link href="/_app/immutable/entry/start.Ab12.js" rel="modulepreload">
  </head>
  <body><div style="display: contents"><script>boot()</script></div></body>
</html>
`;

export const HASHED_FILE = '/_app/immutable/entry/start.Ab12.js';
export const HASHED_TEXT = `export const start = "${'plain '.repeat(400)}";\n`;
export const VARIANT_TEXT = { br: 'the .br file was sent', gzip: 'the .gz file was sent' } as const;

export function temporaryAppBuild(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'datapatch-app-build-'));
  mkdirSync(join(dir, '_app', 'immutable', 'entry'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), BUILT_INDEX);
  const hashed = join(dir, HASHED_FILE);
  writeFileSync(hashed, HASHED_TEXT);
  writeFileSync(`${hashed}.br`, brotliCompressSync(VARIANT_TEXT.br));
  writeFileSync(`${hashed}.gz`, gzipSync(VARIANT_TEXT.gzip));
  // Over 1 KiB and with no variant beside it: compressed per request.
  writeFileSync(join(dir, 'service-worker.js'), `self.addEventListener('fetch', () => {});\n`.repeat(40));
  writeFileSync(join(dir, 'icon-192.png'), Buffer.alloc(4096, 7));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A registry of fixed summaries, for apps built without a database. */
export function fixedRegistry(summaries: DatasetSummary[]): DatasetRegistry {
  return {
    list: async () => summaries,
    get: async (id) => summaries.find((s) => s.id === id) ?? null,
    upsert: async () => undefined,
  };
}
