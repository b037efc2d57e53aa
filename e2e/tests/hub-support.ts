/**
 * Shared by the hub e2e specs: a server of their own with a first owner account (the shared
 * worker server may have started without one), signing a browser context in through the API,
 * posting an anonymous proposal as the citizen app does, and axe's serious findings.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { BrowserContext, Page } from '@playwright/test';
import { expect } from '../fixtures.ts';
import { type Server, startServer } from '../server.ts';

export const ADMIN = { email: 'owner@example.org', password: 'correct horse battery staple' };

export async function startHubServer(): Promise<{ server: Server; stop: () => Promise<void> }> {
  const saved = { email: process.env.DATAPATCH_ADMIN_EMAIL, password: process.env.DATAPATCH_ADMIN_PASSWORD };
  process.env.DATAPATCH_ADMIN_EMAIL = ADMIN.email;
  process.env.DATAPATCH_ADMIN_PASSWORD = ADMIN.password;
  try {
    return await startServer();
  } finally {
    if (saved.email === undefined) delete process.env.DATAPATCH_ADMIN_EMAIL;
    else process.env.DATAPATCH_ADMIN_EMAIL = saved.email;
    if (saved.password === undefined) delete process.env.DATAPATCH_ADMIN_PASSWORD;
    else process.env.DATAPATCH_ADMIN_PASSWORD = saved.password;
  }
}

/** Signs the context in (its cookie jar gets the session cookie), as the sign-in page does. */
export async function signInContext(context: BrowserContext, server: Server): Promise<void> {
  const response = await context.request.post(`${server.url}/api/auth/login`, {
    data: ADMIN,
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
    // The outbox badge belongs to the citizen screens and is checked by their specs.
    .exclude('.outbox')
    .analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
}
