import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The app's catalog is plain data (no Svelte): the one place these words are written.
import { fr } from '../../../app/src/lib/i18n/messages.ts';
import { temporaryAppBuild } from '../testing/app-build.ts';
import { type AccessTestServer, startAccessServer } from '../testing/http-server.ts';
import { PAGE_WORDS, shortDescription, withPageMeta } from './page-meta.ts';

// 'lieux' is public, 'secret' private (test-server.ts).
const build = temporaryAppBuild();
let t: AccessTestServer;
beforeAll(async () => {
  t = await startAccessServer({ appDir: build.dir });
});
afterAll(async () => {
  await t.cleanup();
  build.remove();
});

const page = async (path: string) => {
  const response = await fetch(`${t.server.url}${path}`);
  expect(response.status).toBe(200);
  return { html: await response.text(), robots: response.headers.get('x-robots-tag') };
};
const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1];
const descriptionOf = (html: string) => /<meta name="description" content="([^"]*)"/.exec(html)?.[1];

describe('each page’s title and description in index.html', () => {
  it('the home has the app’s title and introduction, indexable', async () => {
    const { html, robots } = await page('/');
    expect(titleOf(html)).toBe(`${PAGE_WORDS.homeTitle} – Data Patch`);
    expect(descriptionOf(html)).toBe(PAGE_WORDS.homeIntro);
    expect(html).not.toContain('noindex');
    expect(robots).toBeNull();
  });

  it('a public dataset’s page and its records carry its own title', async () => {
    for (const path of ['/datasets/lieux', '/datasets/lieux/records/r1']) {
      const { html, robots } = await page(path);
      expect(titleOf(html), path).toBe('Lieux – Data Patch');
      expect(descriptionOf(html), path).toBe(PAGE_WORDS.datasetDescription('Lieux'));
      expect(robots, path).toBeNull();
    }
    const form = await page('/datasets/lieux/propose');
    expect(titleOf(form.html)).toBe('Lieux – Data Patch');
    expect(form.robots).toBe('noindex');
  });

  it('a private dataset’s page says nothing of it, like an unknown one, even to its own readers', async () => {
    const unknown = await page('/datasets/nothing-here');
    for (const path of ['/datasets/secret', '/datasets/secret/records/r1']) {
      const { html, robots } = await page(path);
      expect(html, path).not.toContain('Secret');
      expect(html, path).toBe(unknown.html);
      expect(titleOf(html)).toBe('Data Patch');
      expect(descriptionOf(html)).toBeUndefined();
      expect(robots).toBe('noindex');
    }
    const asReader = await fetch(`${t.server.url}/datasets/secret`, { headers: t.headers('reader') });
    expect(await asReader.text()).not.toContain('Secret');
  });

  it('the hubs’ pages are not for search engines', async () => {
    for (const path of ['/dashboard', '/signin', '/datasets/lieux/moderate']) {
      expect((await page(path)).robots, path).toBe('noindex');
    }
  });
});

describe('robots.txt and sitemap.xml', () => {
  it('robots.txt is text that keeps crawlers out of the hubs’ space and the API', async () => {
    const response = await fetch(`${t.server.url}/robots.txt`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).not.toContain('<html');
    for (const path of [
      '/api/',
      '/dashboard',
      '/signin',
      '/new',
      '/invites/',
      '/hubs',
      '/reset/',
      '/my-proposals',
    ]) {
      expect(text).toContain(`Disallow: ${path}\n`);
    }
    for (const part of ['edit', 'moderate', 'settings', 'history']) {
      expect(text).toContain(`Disallow: /datasets/*/${part}\n`);
    }
    expect(text).not.toContain('secret');
    expect(text).toContain(`Sitemap: ${t.server.url}/sitemap.xml`);
  });

  it('the sitemap lists the home and public datasets, never a private one', async () => {
    const xml = await (await fetch(`${t.server.url}/sitemap.xml`)).text();
    expect(xml).toContain(`<loc>${t.server.url}/datasets/lieux</loc>`);
    expect(xml).not.toContain('secret');
  });
});

describe('the server’s words', () => {
  it('are the app’s French catalog, so the first load and the app say the same', () => {
    expect(PAGE_WORDS.appName).toBe(fr['app.name']);
    expect(PAGE_WORDS.homeTitle).toBe(fr['home.title']);
    expect(PAGE_WORDS.homeIntro).toBe(fr['home.intro']);
    expect(PAGE_WORDS.datasetDescription('Lieux')).toBe(
      fr['dataset.metaDescription'].replace('{title}', 'Lieux'),
    );
  });
});

describe('withPageMeta', () => {
  it('escapes what a dataset’s title and description hold', () => {
    const html = withPageMeta('<head><title>Data Patch</title></head>', {
      title: '</title><script>alert(1)</script>',
      description: '"><img src=x onerror=alert(1)>',
      indexable: true,
    });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
  });

  it('a long description is cut at a word, one line', () => {
    const text = `Toilettes\npubliques ${'gérées par la Ville '.repeat(20)}`;
    const cut = shortDescription(text);
    expect(cut.length).toBeLessThanOrEqual(160);
    expect(cut.endsWith('…')).toBe(true);
    // Whole words only.
    expect(`${text.replace(/\s+/g, ' ')}`.startsWith(`${cut.slice(0, -1)} `)).toBe(true);
  });
});
