/**
 * Compression of text answers (API JSON, CSV, GeoJSON, HTML, JS, CSS, SVG) with brotli or gzip,
 * as the client's Accept-Encoding prefers, streamed so a large export is never held twice.
 * Invariant: an answer already encoded (a precompressed built file), already compressed by its
 * format (XLSX, PNG), a live stream (Server-Sent Events) or a tiny one is sent as it is; every
 * compressible answer says `Vary: Accept-Encoding`, whichever encoding it got.
 */
import { pipeline, Readable } from 'node:stream';
import { constants, createBrotliCompress, createGzip } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';

export type ContentEncoding = 'br' | 'gzip';

const COMPRESSIBLE =
  /^\s*(?:text\/(?!event-stream)[^;\s]+|application\/(?:json|javascript|xml|[^;\s]+\+(?:json|xml))|image\/svg\+xml)\s*(?:;|$)/i;

/** Below this, the headers weigh more than what compression would save. */
const MIN_BYTES = 1024;

export function isCompressible(contentType: string | null | undefined): boolean {
  return contentType !== null && contentType !== undefined && COMPRESSIBLE.test(contentType);
}

/**
 * The encoding to send among `available` (in our order of preference), from an Accept-Encoding
 * header with its q-values (`br;q=0` refuses brotli, `*` stands for the others); null: identity.
 */
export function chooseEncoding(
  acceptEncoding: string | null | undefined,
  available: readonly ContentEncoding[] = ['br', 'gzip'],
): ContentEncoding | null {
  if (!acceptEncoding) return null;
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    weights.set(name, q === undefined ? 1 : Number(q));
  }
  let best: ContentEncoding | null = null;
  let bestWeight = 0;
  for (const encoding of available) {
    const weight = weights.get(encoding) ?? weights.get('*') ?? 0;
    if (weight > bestWeight) {
      best = encoding;
      bestWeight = weight;
    }
  }
  return best;
}

/** Appends `Accept-Encoding` to Vary once. */
export function varyOnEncoding(headers: Headers): void {
  const vary = headers.get('Vary');
  if (!vary) headers.set('Vary', 'Accept-Encoding');
  else if (!/(^|,)\s*(accept-encoding|\*)\s*(,|$)/i.test(vary))
    headers.set('Vary', `${vary}, Accept-Encoding`);
}

function compressor(encoding: ContentEncoding, size: number | null) {
  if (encoding === 'gzip') return createGzip();
  return createBrotliCompress({
    params: {
      // Quality 5 compresses answers made per request about as well as gzip -9, several times faster than 11.
      [constants.BROTLI_PARAM_QUALITY]: 5,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      ...(size !== null ? { [constants.BROTLI_PARAM_SIZE_HINT]: size } : {}),
    },
  });
}

/** The first `bytes` of a body (all of it when shorter), and the whole body again as chunks. */
async function readAtLeast(body: ReadableStream<Uint8Array>, bytes: number) {
  const reader = body.getReader();
  const head: Uint8Array[] = [];
  let read = 0;
  while (read < bytes) {
    const next = await reader.read();
    if (next.done) return { done: true as const, bytes: Buffer.concat(head) };
    head.push(next.value);
    read += next.value.byteLength;
  }
  async function* rest(): AsyncGenerator<Uint8Array> {
    try {
      yield* head;
      for (let next = await reader.read(); !next.done; next = await reader.read()) yield next.value;
    } finally {
      await reader.cancel().catch(() => undefined);
    }
  }
  return { done: false as const, rest };
}

export function compression(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const response = c.res;
    const headers = response.headers;
    if (!isCompressible(headers.get('Content-Type'))) return;
    varyOnEncoding(headers);
    if (
      response.body === null ||
      response.status === 204 ||
      response.status === 206 ||
      response.status === 304 ||
      headers.has('Content-Encoding') ||
      /no-transform/i.test(headers.get('Cache-Control') ?? '')
    ) {
      return;
    }
    const encoding = chooseEncoding(c.req.header('accept-encoding'));
    if (encoding === null) return;
    const length = headers.get('Content-Length');
    const size = length === null ? null : Number(length);
    if (size !== null && size < MIN_BYTES) return;
    // Length unknown (JSON made here, a stream): read up to MIN_BYTES to tell a tiny answer.
    const start = await readAtLeast(response.body, MIN_BYTES);
    if (start.done) {
      c.res = new Response(start.bytes, response);
      return;
    }
    // pipeline: an error or a client gone on either side ends both streams.
    const body = pipeline(Readable.from(start.rest()), compressor(encoding, size), () => undefined);
    // Hono copies the former answer's headers onto the new one: fix them after.
    c.res = new Response(Readable.toWeb(body) as ReadableStream<Uint8Array>, response);
    const compressed = c.res.headers;
    compressed.set('Content-Encoding', encoding);
    compressed.delete('Content-Length');
    // The same entity in another encoding: a strong validator would claim identical bytes.
    const etag = compressed.get('ETag');
    if (etag && !etag.startsWith('W/')) compressed.set('ETag', `W/${etag}`);
  };
}
