/**
 * An upload read with its size cap applied as the bytes arrive. Invariants: a declared
 * `Content-Length` over the cap is refused before one byte is read; a body without one stops
 * being read at the first chunk past the cap; at most `cap` bytes are ever held.
 */
import type { Context } from 'hono';

/** Whether the client announced a body larger than `cap` (refuse it without reading it). */
export function declaredOverCap(c: Context, cap: number): boolean {
  const declared = c.req.header('content-length');
  return declared !== undefined && /^\d+$/.test(declared.trim()) && Number(declared) > cap;
}

export type CappedBody =
  | { ok: true; bytes: Uint8Array }
  | { ok: false; reason: 'too-large' }
  /** The client went away (or broke the framing) before the body ended. */
  | { ok: false; reason: 'incomplete' };

/** Reads the request body, at most `cap` bytes, into one buffer (its own ArrayBuffer, transferable). */
export async function readCappedBody(request: Request, cap: number): Promise<CappedBody> {
  const body = request.body;
  if (body === null) return { ok: true, bytes: new Uint8Array() };
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  const reader = body.getReader();
  // A declared length is allocated once; otherwise chunks are kept and joined at the end.
  const exact =
    Number.isSafeInteger(declared) && declared >= 0 && declared <= cap ? new Uint8Array(declared) : null;
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    let read: Awaited<ReturnType<typeof reader.read>>;
    try {
      read = await reader.read();
    } catch {
      return { ok: false, reason: 'incomplete' };
    }
    const { done, value } = read;
    if (done) break;
    if (received + value.byteLength > cap || (exact && received + value.byteLength > exact.length)) {
      // Stop reading: the server drains (or closes) the rest after the answer is sent.
      void reader.cancel().catch(() => undefined);
      return { ok: false, reason: 'too-large' };
    }
    if (exact) exact.set(value, received);
    else chunks.push(value);
    received += value.byteLength;
  }
  if (exact) return { ok: true, bytes: received === exact.length ? exact : exact.slice(0, received) };
  const bytes = new Uint8Array(received);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return { ok: true, bytes };
}
