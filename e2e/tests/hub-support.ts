/**
 * Shared by the hub e2e specs: signing a browser context in as the test server's first owner or
 * as one of the fixture's people (through the API, so the context's cookie jar holds the session),
 * posting an anonymous proposal as the citizen app does, and axe's serious findings.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { BrowserContext, Page } from '@playwright/test';
import { type DatasetClient, expect } from '../fixtures.ts';
import { nameField } from '../places.ts';
import { E2E_ADMIN, type Server } from '../server.ts';

export const ADMIN = E2E_ADMIN;

/** Signs the context in (its cookie jar gets the session cookie), as the sign-in page does. */
export async function signInContext(
  context: BrowserContext,
  server: Server,
  person: { email: string; password: string } = ADMIN,
): Promise<void> {
  const response = await context.request.post(`${server.url}/api/auth/login`, {
    data: { email: person.email, password: person.password },
    headers: { origin: server.url },
  });
  expect(response.status(), await response.text()).toBe(200);
}

let keys = 0;
/** An anonymous proposal, posted like the citizen app (JSON, idempotency key, empty honeypot). */
export async function postProposal(
  server: Server,
  datasetId: string,
  body: {
    kind: 'change' | 'create' | 'delete';
    rowId?: string;
    base: object;
    proposed: object;
    comment?: string;
  },
): Promise<{ proposalId: string; receipt: string }> {
  keys++;
  const response = await fetch(`${server.url}/api/datasets/${datasetId}/proposals`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, idempotencyKey: `hub-e2e-${Date.now()}-${keys}-xxxxxxxx`, website: '' }),
  });
  const text = await response.text();
  expect(response.status, text).toBe(202);
  return JSON.parse(text) as { proposalId: string; receipt: string };
}

export async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
}

/**
 * The demo dataset's free-text fields other than the records' name and id: no closed list,
 * pattern or format for a test value to break.
 */
export function freeTextFields(reading: DatasetClient): DatasetClient['schema']['fields'] {
  const name = nameField(reading);
  return reading.schema.fields.filter(
    (f) =>
      f.name !== name &&
      (f.type === undefined || f.type === 'string') &&
      f.format === undefined &&
      Object.keys(f.constraints ?? {}).every((k) => k === 'required') &&
      !/^(id|identifiant)$/i.test(f.name),
  );
}
