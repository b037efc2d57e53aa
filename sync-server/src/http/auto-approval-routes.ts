/**
 * A dataset's auto-approval settings over HTTP, for its moderators: GET reads them with the
 * fields that may be chosen, PUT replaces them. Invariant: names and positions are dropped by
 * @datapatch/core before they are stored, whatever is sent; the rules run again after a change.
 */
import {
  autoApprovableCandidates,
  readAutoApprovalSettings,
  runAutoApproval,
  writeAutoApprovalSettings,
} from '@datapatch/core';
import { roomName } from '@datapatch/protocol';
import { Hono } from 'hono';
import { jsonBody, type RouteDependencies, requireDatasetAccess } from './access-guard.ts';

function rooms(datasetId: string): string[] {
  return [roomName(datasetId, 'validated'), roomName(datasetId, 'pending')];
}

export function autoApprovalRoutes(deps: RouteDependencies): Hono {
  const app = new Hono();

  app.get('/api/datasets/:id/auto-approval', async (c) => {
    const datasetId = c.req.param('id');
    const caller = await requireDatasetAccess(c, datasetId, 'moderate');
    if (caller instanceof Response) return caller;
    const answer = await deps.relay.changeDocuments(rooms(datasetId), ([validated, pending]) => ({
      settings: readAutoApprovalSettings(pending!),
      candidates: autoApprovableCandidates(validated!),
    }));
    return c.json(answer);
  });

  /** `{fields: string[], acceptedNeeded: number, window: number}`. */
  app.put('/api/datasets/:id/auto-approval', async (c) => {
    const datasetId = c.req.param('id');
    const caller = await requireDatasetAccess(c, datasetId, 'moderate');
    if (caller instanceof Response) return caller;
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const { fields, acceptedNeeded, window } = body as Record<string, unknown>;
    if (
      !Array.isArray(fields) ||
      fields.length > 1000 ||
      !fields.every((f) => typeof f === 'string' && f.length <= 200) ||
      typeof acceptedNeeded !== 'number' ||
      typeof window !== 'number'
    ) {
      return c.json(
        {
          error: {
            code: 'invalid_settings',
            message: 'Expected {fields: string[], acceptedNeeded: number, window: number}',
          },
        },
        400,
      );
    }
    const settings = await deps.relay.changeDocuments(rooms(datasetId), ([validated, pending]) => {
      const saved = writeAutoApprovalSettings(pending!, validated!, {
        fields: fields as string[],
        acceptedNeeded,
        window,
      });
      runAutoApproval(validated!, pending!);
      return saved;
    });
    return c.json({ settings });
  });

  return app;
}
