/**
 * The two HTML pages of the embed, written by the server: `/embed/<id>` (the element alone, for
 * site builders that forbid scripts: they frame this page) and `/embed` (pick a dataset, copy the
 * snippet, see it live). Pure functions of their inputs; every value is escaped, and neither page
 * has an inline script: its only script is `/embed.js`, so its CSP stays `script-src 'self'`.
 */
import { escapeHtml } from './page-meta.ts';

export type PageLang = 'fr' | 'en';

export interface EmbedAttributes {
  dataset: string;
  view?: string;
  lang?: string;
  fields?: string;
  filter?: string;
  height?: string;
  accent?: string;
}

const ATTRIBUTE_NAMES = ['view', 'lang', 'fields', 'filter', 'height', 'accent'] as const;

/** The element's attributes from a query string: only the known ones, each at most 500 characters. */
export function attributesFrom(
  dataset: string,
  query: (name: string) => string | undefined,
): EmbedAttributes {
  const attributes: EmbedAttributes = { dataset };
  for (const name of ATTRIBUTE_NAMES) {
    const value = query(name)?.slice(0, 500);
    if (value) attributes[name] = value;
  }
  return attributes;
}

export function elementHtml(attributes: EmbedAttributes): string {
  const parts = [`dataset="${escapeHtml(attributes.dataset)}"`];
  for (const name of ATTRIBUTE_NAMES) {
    const value = attributes[name];
    if (value) parts.push(`${name}="${escapeHtml(value)}"`);
  }
  return `<datapatch-dataset ${parts.join(' ')}></datapatch-dataset>`;
}

/** What a hub pastes in its page. */
export function snippetText(origin: string, attributes: EmbedAttributes): string {
  return `<script src="${origin}/embed.js" type="module"></script>\n${elementHtml(attributes)}`;
}

export function iframeText(origin: string, attributes: EmbedAttributes): string {
  const query = new URLSearchParams();
  for (const name of ATTRIBUTE_NAMES) {
    const value = attributes[name];
    if (value) query.set(name, value);
  }
  const search = query.toString();
  const height = Number(attributes.height) > 0 ? Number(attributes.height) + 2 : 482;
  const src = `${origin}/embed/${encodeURIComponent(attributes.dataset)}${search ? `?${search}` : ''}`;
  return `<iframe src="${escapeHtml(src)}" title="Data Patch" width="100%" height="${height}" style="border:0" loading="lazy"></iframe>`;
}

/** `/embed/<id>`: the element filling the frame. */
export function framePage(attributes: EmbedAttributes): string {
  const lang = attributes.lang === 'en' ? 'en' : 'fr';
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Data Patch</title>
<script src="/embed.js" type="module"></script>
</head>
<body style="margin:0">
${elementHtml(attributes)}
</body>
</html>
`;
}

const WORDS = {
  fr: {
    title: 'Intégrer un jeu de données sur votre site',
    intro:
      'Choisissez un jeu de données public et l’affichage, puis copiez le code dans votre page. Les visiteurs pourront chercher, ouvrir une fiche et proposer une correction.',
    dataset: 'Jeu de données',
    view: 'Affichage',
    views: { table: 'Tableau', cards: 'Fiches', map: 'Carte' } as Record<string, string>,
    lang: 'Langue',
    fields: 'Champs affichés (séparés par des virgules, facultatif)',
    filter: 'Filtre prédéfini (par exemple commune=Besançon, facultatif)',
    height: 'Hauteur en pixels',
    accent: 'Couleur d’accent',
    update: 'Mettre à jour l’aperçu',
    snippet: 'Code à copier (script et élément)',
    iframe: 'Ou, si votre site n’accepte pas les scripts, ce cadre',
    preview: 'Aperçu',
    none: 'Aucun jeu de données public sur cette instance.',
    other: 'English',
  },
  en: {
    title: 'Embed a dataset on your website',
    intro:
      'Choose a public dataset and a view, then copy the code into your page. Visitors can search, open a record and suggest a correction.',
    dataset: 'Dataset',
    view: 'View',
    views: { table: 'Table', cards: 'Cards', map: 'Map' } as Record<string, string>,
    lang: 'Language',
    fields: 'Fields shown (comma separated, optional)',
    filter: 'Preset filter (for example commune=Besançon, optional)',
    height: 'Height in pixels',
    accent: 'Accent colour',
    update: 'Update the preview',
    snippet: 'Code to copy (script and element)',
    iframe: 'Or, if your site builder forbids scripts, this frame',
    preview: 'Preview',
    none: 'No public dataset on this instance.',
    other: 'Français',
  },
};

const PAGE_CSS = `body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#f6f8fa}
main{max-width:1100px;margin:0 auto;padding:16px}
form{display:grid;gap:10px;grid-template-columns:1fr;background:#fff;padding:16px;border:1px solid #d5dae0;border-radius:8px}
@media(min-width:800px){form{grid-template-columns:1fr 1fr}}
label{display:flex;flex-direction:column;font-size:14px;gap:4px}
input,select,textarea{font:inherit;padding:6px 8px;border:1px solid #8a939c;border-radius:6px}
button{font:inherit;padding:8px 14px;border-radius:6px;border:0;background:#0055aa;color:#fff;cursor:pointer;justify-self:start}
textarea{width:100%;font:13px/1.4 ui-monospace,monospace;box-sizing:border-box}
h1{font-size:24px}h2{font-size:18px;margin-top:24px}
a{color:#0055aa}`;

/** `/embed`: the chooser, the snippet for the chosen options, and the live element. */
export function chooserPage(
  origin: string,
  lang: PageLang,
  datasets: { id: string; title: string }[],
  chosen: EmbedAttributes | null,
): string {
  const w = WORDS[lang];
  const selected = chosen?.dataset;
  const option = (value: string, label: string, current: string | undefined) =>
    `<option value="${escapeHtml(value)}"${value === current ? ' selected' : ''}>${escapeHtml(label)}</option>`;
  const field = (name: keyof EmbedAttributes, label: string, type = 'text') =>
    `<label>${escapeHtml(label)}<input name="${name}" type="${type}" value="${escapeHtml(chosen?.[name] ?? '')}"></label>`;
  const otherLang = lang === 'fr' ? 'en' : 'fr';
  const otherQuery = new URLSearchParams({ ...(chosen ?? {}), page: otherLang });
  const body =
    datasets.length === 0
      ? `<p>${escapeHtml(w.none)}</p>`
      : `<form method="get" action="/embed">
<input type="hidden" name="page" value="${lang}">
<label>${escapeHtml(w.dataset)}<select name="dataset">${datasets.map((d) => option(d.id, d.title || d.id, selected)).join('')}</select></label>
<label>${escapeHtml(w.view)}<select name="view">${['table', 'cards', 'map'].map((v) => option(v, w.views[v] ?? v, chosen?.view ?? 'table')).join('')}</select></label>
<label>${escapeHtml(w.lang)}<select name="lang">${option('fr', 'Français', chosen?.lang ?? lang)}${option('en', 'English', chosen?.lang ?? lang)}</select></label>
${field('fields', w.fields)}
${field('filter', w.filter)}
${field('height', w.height, 'number')}
<label>${escapeHtml(w.accent)}<input name="accent" type="color" value="${escapeHtml(chosen?.accent ?? '#0055aa')}"></label>
<button type="submit">${escapeHtml(w.update)}</button>
</form>
${
  chosen
    ? `<h2 id="snippet-title">${escapeHtml(w.snippet)}</h2>
<textarea readonly rows="5" aria-labelledby="snippet-title" data-snippet>${escapeHtml(snippetText(origin, chosen))}</textarea>
<h2 id="iframe-title">${escapeHtml(w.iframe)}</h2>
<textarea readonly rows="4" aria-labelledby="iframe-title" data-iframe>${escapeHtml(iframeText(origin, chosen))}</textarea>
<h2>${escapeHtml(w.preview)}</h2>
${elementHtml(chosen)}`
    : ''
}`;
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(w.title)} – Data Patch</title>
<style>${PAGE_CSS}</style>
<script src="/embed.js" type="module"></script>
</head>
<body>
<main>
<p><a href="/embed?${escapeHtml(otherQuery.toString())}" lang="${otherLang}">${escapeHtml(w.other)}</a></p>
<h1>${escapeHtml(w.title)}</h1>
<p>${escapeHtml(w.intro)}</p>
${body}
</main>
</body>
</html>
`;
}
