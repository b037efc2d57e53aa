/**
 * Shared by the citizen specs: a server of their own started with a first admin (so the
 * moderator API can check what arrived), a bearer token for it, its proposal list, and axe's
 * serious or critical findings.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, repoRoot } from '../fixtures.ts';
import { type Server, startServer } from '../server.ts';

const ADMIN = { email: 'citizen-e2e-admin@example.org', password: 'a long enough e2e password' };

/** A server of this spec's own, started with a first admin so the moderator API can be used. */
export async function startServerWithAdmin(): Promise<{ server: Server; stop: () => Promise<void> }> {
  const saved = { email: process.env.DATAPATCH_ADMIN_EMAIL, password: process.env.DATAPATCH_ADMIN_PASSWORD };
  process.env.DATAPATCH_ADMIN_EMAIL = ADMIN.email;
  process.env.DATAPATCH_ADMIN_PASSWORD = ADMIN.password;
  try {
    return await startServer();
  } finally {
    for (const [name, value] of [
      ['DATAPATCH_ADMIN_EMAIL', saved.email],
      ['DATAPATCH_ADMIN_PASSWORD', saved.password],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

export async function adminToken(server: Server): Promise<string> {
  const response = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...ADMIN, kind: 'bearer' }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return ((await response.json()) as { token: string }).token;
}

export type Listed = {
  id: string;
  kind: string;
  rowId?: string;
  proposed: Record<string, unknown>;
  status: string;
  comment?: string;
};

export async function listProposals(server: Server, token: string, datasetId: string): Promise<Listed[]> {
  const response = await fetch(`${server.url}/api/datasets/${datasetId}/proposals?limit=1000`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { proposals: Listed[] }).proposals;
}

export async function noSeriousViolations(page: Page, where: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  expect(serious, where).toEqual([]);
}

/**
 * Screenshots of a screen as a person sees it, at a phone's and a desktop's width (issue 16):
 * the whole page and the first screen, in e2e/screenshots/<folder>/<name>-<width>[-screen].png.
 */
export async function shootAtWidths(page: Page, folder: string, name: string): Promise<void> {
  const shots = join(repoRoot, 'e2e/screenshots', folder);
  mkdirSync(shots, { recursive: true });
  for (const width of [390, 1366]) {
    await page.setViewportSize({ width, height: width < 600 ? 844 : 900 });
    await page.screenshot({ path: join(shots, `${name}-${width}.png`), fullPage: true });
    await page.screenshot({ path: join(shots, `${name}-${width}-screen.png`) });
  }
}
