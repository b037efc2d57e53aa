/**
 * `GET/PUT /api/datasets/:id/embedding`: the sites allowed to embed a dataset (owners only).
 * Invariants: a list with one entry that is not an http(s) origin is refused whole, naming the
 * entries, and the stored list is left as it was; the list is stored canonical (embed-routes.ts
 * compares it with the `Origin` header as is).
 */
import { isDataset } from '@datapatch/core';
import {
  AccessErrorCode,
  EmbeddingErrorCode,
  type EmbeddingSettings,
  embedOrigins,
  MAX_EMBED_ORIGINS,
  roomName,
} from '@datapatch/protocol';
import { type Context, Hono } from 'hono';
import type * as Y from 'yjs';
import { embeddingRoom, readEmbedOrigins, writeEmbedOrigins } from '../embedding/embedding-room.ts';
import { guardError, jsonBody, type RouteDependencies, requireDatasetAccess } from './access-guard.ts';

export function embeddingRoutes(deps: RouteDependencies): Hono {
  const app = new Hono();

  async function owned(c: Context, id: string): Promise<Response | null> {
    const caller = await requireDatasetAccess(c, id, 'own');
    if (caller instanceof Response) return caller;
    const exists = await deps.relay.readDocument(roomName(id, 'validated'), isDataset);
    return exists ? null : guardError(c, 404, AccessErrorCode.datasetNotFound, 'No such dataset');
  }

  app.get('/api/datasets/:id/embedding', async (c) => {
    const id = c.req.param('id');
    const refused = await owned(c, id);
    if (refused) return refused;
    const origins = await deps.relay.readDocument(embeddingRoom(id), readEmbedOrigins);
    return c.json({ origins } satisfies EmbeddingSettings);
  });

  app.put('/api/datasets/:id/embedding', async (c) => {
    const id = c.req.param('id');
    const refused = await owned(c, id);
    if (refused) return refused;
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const entries = body.origins;
    if (!Array.isArray(entries) || !entries.every((e) => typeof e === 'string'))
      return c.json(
        {
          error: {
            code: EmbeddingErrorCode.invalidOrigins,
            message: 'Send {origins: ["https://www.example.org", …]} (an empty list: any site)',
            invalid: [],
          },
        },
        400,
      );
    const read = embedOrigins(entries as string[]);
    if (!read.ok)
      return c.json(
        {
          error: {
            code: EmbeddingErrorCode.invalidOrigins,
            message: `Not a site's origin (scheme://host[:port], nothing after): ${read.invalid.join(', ')}`,
            invalid: read.invalid,
          },
        },
        400,
      );
    if (read.origins.length > MAX_EMBED_ORIGINS)
      return c.json(
        {
          error: {
            code: EmbeddingErrorCode.invalidOrigins,
            message: `At most ${MAX_EMBED_ORIGINS} sites`,
            invalid: [],
          },
        },
        400,
      );
    await deps.relay.changeDocuments([embeddingRoom(id)], ([doc]) =>
      writeEmbedOrigins(doc as Y.Doc, read.origins),
    );
    return c.json({ origins: read.origins } satisfies EmbeddingSettings);
  });

  return app;
}
