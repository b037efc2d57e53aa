// Refuses a zip (XLSX) that would expand past a limit, with bounded memory: first the sizes the zip
// directory declares, then (because a directory can lie) a streaming inflate of every entry that
// counts the bytes and throws nothing away but counters; inflated data is never kept.

import { Unzip, UnzipInflate, UnzipPassThrough, unzipSync } from 'fflate';

export type ZipCheck = { ok: true } | { ok: false; reason: 'too-large' | 'invalid'; detail: string };

const inputSlice = 16 * 1024;

export function checkZipExpansion(bytes: Uint8Array, maxExpandedBytes: number): ZipCheck {
  let declared = 0;
  try {
    unzipSync(bytes, {
      filter(file) {
        declared += file.originalSize;
        return false;
      },
    });
  } catch (error) {
    return { ok: false, reason: 'invalid', detail: (error as Error).message };
  }
  if (declared > maxExpandedBytes) return { ok: false, reason: 'too-large', detail: String(declared) };

  let expanded = 0;
  let failure: ZipCheck | null = null;
  const unzip = new Unzip((file) => {
    file.ondata = (error, chunk) => {
      if (failure) return;
      if (error) {
        failure = { ok: false, reason: 'invalid', detail: error.message };
        return;
      }
      expanded += chunk.length;
      if (expanded > maxExpandedBytes) {
        failure = { ok: false, reason: 'too-large', detail: String(expanded) };
        file.terminate();
      }
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  unzip.register(UnzipPassThrough);
  try {
    for (let offset = 0; offset < bytes.length && !failure; offset += inputSlice) {
      const end = Math.min(offset + inputSlice, bytes.length);
      unzip.push(bytes.subarray(offset, end), end === bytes.length);
    }
  } catch (error) {
    return { ok: false, reason: 'invalid', detail: (error as Error).message };
  }
  return failure ?? { ok: true };
}
