/**
 * Screenshots kept as test artifacts for a person to look at: written once into the test's
 * output folder (e2e/test-results/<test>/<name>.png), whether the test passes or not, and cut
 * at MAX_HEIGHT so a long page (a 23-field schema on a phone) stays cheap to keep in CI.
 */
import type { Page, TestInfo } from '@playwright/test';

const MAX_HEIGHT = 2400;

export async function keepScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const { width, height } = (await page.evaluate(
    '({ width: document.documentElement.clientWidth, height: document.documentElement.scrollHeight })',
  )) as { width: number; height: number };
  await page.screenshot({
    path: testInfo.outputPath(`${name}.png`),
    fullPage: true,
    clip: { x: 0, y: 0, width, height: Math.min(height, MAX_HEIGHT) },
  });
}
