/**
 * The title and description of each app page as the server sends it, before any script runs
 * (search engines, link previews): the home's, and a public dataset's own on its page and its
 * records'. Invariant: a dataset that is not public, or not there, gives the same neutral page as
 * any unknown address, so its title never leaks; only the home and public datasets' pages are
 * indexable. French first, as the app opens in French (`<html lang="fr">`).
 */
import type { DatasetSummary } from '../store/dataset-registry.ts';

export interface PageMeta {
  title: string;
  description: string | null;
  indexable: boolean;
}

/** A dataset's summary when anyone may read it, else null. */
export type PublicDataset = (id: string) => Promise<Pick<DatasetSummary, 'title' | 'description'> | null>;

/** The French words of the app's catalog (`app.name`, `home.title`, `home.intro`, `dataset.metaDescription`). */
export const PAGE_WORDS = {
  appName: 'Data Patch',
  homeTitle: 'Jeux de données ouverts',
  homeIntro: 'Consultez les données publiques des hubs, même hors ligne une fois ouvertes.',
  datasetDescription: (title: string) => `Consultez « ${title} » et proposez une correction.`,
} as const;

/** Search engines show about this many characters of a description. */
const DESCRIPTION_CHARS = 160;

/** One line, cut at a word boundary with an ellipsis when longer than a result snippet. */
export function shortDescription(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length <= DESCRIPTION_CHARS) return line;
  const cut = line.slice(0, DESCRIPTION_CHARS - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > DESCRIPTION_CHARS / 2 ? cut.slice(0, space) : cut).replace(/[\s.,;:]+$/, '')}…`;
}

const NEUTRAL: PageMeta = { title: PAGE_WORDS.appName, description: null, indexable: false };

/** `/datasets/<id>`, `/datasets/<id>/records/<rowId>` (indexable) and their propose pages. */
const DATASET_PAGE = /^\/datasets\/([^/]+)(?:\/records\/[^/]+)?(\/propose)?\/?$/;

export async function pageMetaFor(path: string, publicDataset: PublicDataset): Promise<PageMeta> {
  if (path === '/' || path === '') {
    return {
      title: `${PAGE_WORDS.homeTitle} – ${PAGE_WORDS.appName}`,
      description: PAGE_WORDS.homeIntro,
      indexable: true,
    };
  }
  const match = DATASET_PAGE.exec(path);
  if (!match) return NEUTRAL;
  let id: string;
  try {
    id = decodeURIComponent(match[1] ?? '');
  } catch {
    return NEUTRAL;
  }
  const dataset = await publicDataset(id);
  if (dataset === null) return NEUTRAL;
  const title = dataset.title.trim() || id;
  return {
    title: `${title} – ${PAGE_WORDS.appName}`,
    description: shortDescription(dataset.description) || PAGE_WORDS.datasetDescription(title),
    indexable: match[2] === undefined,
  };
}

/** Text made safe inside HTML content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  );
}

/**
 * index.html with this page's title and description. The description carries `data-page-meta`
 * so the app drops it once its own `<svelte:head>` takes over (no two descriptions after a navigation).
 */
export function withPageMeta(html: string, meta: PageMeta): string {
  const tags = [`<title>${escapeHtml(meta.title)}</title>`];
  if (meta.description !== null) {
    tags.push(`<meta name="description" content="${escapeHtml(meta.description)}" data-page-meta>`);
  }
  if (!meta.indexable) tags.push('<meta name="robots" content="noindex">');
  const head = tags.join('\n    ');
  return /<title>[\s\S]*?<\/title>/i.test(html)
    ? html.replace(/<title>[\s\S]*?<\/title>/i, () => head)
    : html.replace(/<head>/i, () => `<head>\n    ${head}`);
}
