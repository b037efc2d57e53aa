/**
 * Playwright in Debian's Chromium (never a downloaded browser), against the built app served
 * by a real `datapatch serve` started per test (see fixtures.ts). CI forbids `.only` and keeps
 * a trace of every failed test. Two projects: every test on SQLite (a data folder), and a few
 * that cover accounts, proposals, moderation and live sync on PostgreSQL + Redis (fixtures.ts
 * fails them under CI=true when those do not answer, and skips them with the reason elsewhere).
 */
import { defineConfig } from '@playwright/test';

const ci = Boolean(process.env.CI);

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  forbidOnly: ci,
  retries: 0,
  // Two cores: one browser and its server at a time keeps runs steady.
  workers: 1,
  fullyParallel: false,
  reporter: ci ? [['list'], ['html', { open: 'never' }]] : [['list']],
  use: {
    browserName: 'chromium',
    locale: 'fr-FR',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
      ],
    },
    trace: ci ? 'retain-on-failure' : 'off',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'sqlite', metadata: { backend: 'sqlite' } },
    {
      name: 'postgres',
      metadata: { backend: 'postgres' },
      // Accounts and invites, proposals and moderation, live sync: ~1.5 min more.
      testMatch: ['hub-joining.spec.ts', 'hub-moderation.spec.ts', 'live.spec.ts'],
    },
  ],
});
