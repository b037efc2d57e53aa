/**
 * `<datapatch-dataset>`: a dataset of this instance shown on any page, in a shadow root. It reads
 * the public rows API only (no Yjs), polls it with ETags to stay current, and sends corrections
 * through the anonymous proposal route via the embed outbox. A private or unknown dataset shows a
 * notice and nothing else: the element never renders a row it did not get from the public API.
 */
import type { ProposalBody, WireCellValue } from '@datapatch/protocol';
import { type EmbedOptions, type EmbedView, readOptions, rowsUrl } from './attributes.ts';
import { type Messages, messages } from './messages.ts';
import { EmbedOutbox, newKey, type OutboxEntry } from './outbox.ts';
import { EMBED_CSS } from './styles.ts';

interface Row {
  id: string;
  values: Record<string, WireCellValue>;
}

type Screen =
  | { kind: 'list' }
  | { kind: 'record'; row: Row }
  | { kind: 'form'; row: Row | null; error?: string }
  | { kind: 'done'; entry: OutboxEntry; row: Row | null; status?: string };

const POLL_MS = 4000;
const SEARCH_DELAY_MS = 250;

type Child = Node | string | null | undefined | false;

function h(
  tag: string,
  attributes: Record<string, string | undefined> = {},
  ...children: Child[]
): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes))
    if (value !== undefined) element.setAttribute(name, value);
  for (const child of children) if (child) element.append(child);
  return element;
}

function cellText(value: WireCellValue | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

/** What the contributor typed, stored as the original's type when it still reads as one. */
function typed(text: string, original: WireCellValue | undefined): WireCellValue {
  if (text === '') return original === undefined ? '' : null;
  if (typeof original === 'number' && /^-?\d+(?:[.,]\d+)?$/.test(text)) return Number(text.replace(',', '.'));
  if (typeof original === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

/** The field that names a record: a `nom`/`name`/`titre` field, else the first shown. */
export function nameFieldOf(fields: readonly string[]): string | undefined {
  return fields.find((f) => /^(nom|name|titre|title|libelle|libellé)$/i.test(f)) ?? fields[0];
}

function sheet(): { adopt: (root: ShadowRoot) => void } {
  let shared: CSSStyleSheet | null = null;
  return {
    adopt(root) {
      try {
        shared ??= new CSSStyleSheet();
        if (shared.cssRules.length === 0) shared.replaceSync(EMBED_CSS);
        root.adoptedStyleSheets = [shared];
      } catch {
        root.append(h('style', {}, EMBED_CSS));
      }
    },
  };
}
const styles = sheet();

export class DatapatchDataset extends HTMLElement {
  static observedAttributes = ['dataset', 'view', 'lang', 'fields', 'filter', 'height', 'accent'];

  readonly #root: ShadowRoot;
  readonly #instance: string;
  #options: EmbedOptions | null = null;
  #t: Messages = messages('fr');
  #view: EmbedView = 'table';
  #search = '';
  #fields: string[] = [];
  #rows: Row[] = [];
  #total = 0;
  #title = '';
  #lastText = '';
  #state: 'loading' | 'ready' | 'private' | 'unreachable' = 'loading';
  #screen: Screen = { kind: 'list' };
  #timer: ReturnType<typeof setInterval> | undefined;
  #searchTimer: ReturnType<typeof setTimeout> | undefined;
  #outbox: EmbedOutbox;
  #body: HTMLElement | null = null;
  #statusLine: HTMLElement | null = null;
  #mapDispose: (() => void) | null = null;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    styles.adopt(this.#root);
    this.#instance = new URL(import.meta.url).origin;
    let storage: Storage | null = null;
    try {
      storage = window.localStorage;
    } catch {
      storage = null;
    }
    this.#outbox = new EmbedOutbox(storage, (input, init) => fetch(input, init));
  }

  connectedCallback(): void {
    this.#configure();
    this.#timer = setInterval(() => void this.#tick(), POLL_MS);
    window.addEventListener('online', this.#online);
  }

  disconnectedCallback(): void {
    clearInterval(this.#timer);
    window.removeEventListener('online', this.#online);
    this.#mapDispose?.();
  }

  attributeChangedCallback(): void {
    if (this.isConnected) this.#configure();
  }

  readonly #online = () => void this.#outbox.retry();

  #configure(): void {
    this.#options = readOptions(
      (name) => this.getAttribute(name),
      document.documentElement.lang || undefined,
    );
    if (!this.#options) {
      this.#state = 'private';
      this.#render();
      return;
    }
    this.#t = messages(this.#options.lang);
    this.#view = this.#options.view;
    this.#lastText = '';
    this.#render();
    void this.#load();
  }

  async #tick(): Promise<void> {
    if (document.hidden || this.#state === 'private') return;
    void this.#outbox.retry();
    if (this.#screen.kind === 'form') return;
    await this.#load();
    if (this.#screen.kind === 'done') await this.#refreshStatus(this.#screen);
  }

  async #load(): Promise<void> {
    const options = this.#options;
    if (!options) return;
    try {
      if (this.#title === '') {
        const about = await fetch(`${this.#instance}/api/datasets/${encodeURIComponent(options.dataset)}`);
        if (about.status === 401 || about.status === 403 || about.status === 404) return this.#private();
        if (about.ok) this.#title = ((await about.json()) as { title?: string }).title ?? options.dataset;
      }
      const answer = await fetch(rowsUrl(this.#instance, options, this.#search, { limit: 200 }), {
        cache: 'no-cache',
      });
      if (answer.status === 401 || answer.status === 403 || answer.status === 404) return this.#private();
      if (!answer.ok) throw new Error(String(answer.status));
      const text = await answer.text();
      if (text === this.#lastText && this.#state === 'ready') return;
      this.#lastText = text;
      const page = JSON.parse(text) as { fields: string[]; rows: Row[]; total: number };
      this.#fields = page.fields;
      this.#rows = page.rows;
      this.#total = page.total;
      this.#state = 'ready';
      if (this.#screen.kind === 'record') {
        const id = this.#screen.row.id;
        const fresh = this.#rows.find((row) => row.id === id);
        if (fresh) this.#screen = { kind: 'record', row: fresh };
      }
    } catch {
      // A refused cross-origin answer (private, or a site the owner did not list) reads like this.
      if (this.#state !== 'ready') this.#state = 'unreachable';
    }
    this.#render();
  }

  #private(): void {
    this.#state = 'private';
    this.#rows = [];
    clearInterval(this.#timer);
    this.#render();
  }

  #shownFields(): string[] {
    const wanted = this.#options?.fields ?? [];
    const shown = wanted.length > 0 ? wanted.filter((f) => this.#fields.includes(f)) : this.#fields;
    return shown.length > 0 ? shown : this.#fields;
  }

  #render(): void {
    const t = this.#t;
    const options = this.#options;
    this.style.setProperty('--dp-height', `${options?.height ?? 480}px`);
    if (options) this.style.setProperty('--dp-accent', options.accent);
    this.#mapDispose?.();
    this.#mapDispose = null;
    if (this.#state === 'private' || !options) {
      this.#root.replaceChildren(
        h('div', { class: 'frame', part: 'frame' }, h('p', { class: 'notice', role: 'status' }, t.private)),
      );
      return;
    }
    const frame = h('div', { class: 'frame', part: 'frame', lang: options.lang });
    frame.append(this.#header(options));
    this.#statusLine = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
    this.#body = h('div', { class: 'body' });
    frame.append(this.#statusLine, this.#body, this.#footer(options));
    this.#root.replaceChildren(frame);
    this.#fillBody();
  }

  #header(options: EmbedOptions): HTMLElement {
    const t = this.#t;
    const search = h('input', {
      type: 'search',
      name: 'q',
      placeholder: t.searchPlaceholder,
      autocomplete: 'off',
    }) as HTMLInputElement;
    search.value = this.#search;
    search.addEventListener('input', () => {
      clearTimeout(this.#searchTimer);
      this.#searchTimer = setTimeout(() => {
        this.#search = search.value;
        this.#screen = { kind: 'list' };
        void this.#load().then(() => {
          const again = this.#root.querySelector<HTMLInputElement>('input[type=search]');
          again?.focus();
          again?.setSelectionRange(again.value.length, again.value.length);
        });
      }, SEARCH_DELAY_MS);
    });
    const views = h('div', { class: 'views', role: 'group', 'aria-label': t.views });
    for (const view of ['table', 'cards', 'map'] as const) {
      const button = h('button', { type: 'button', 'aria-pressed': String(this.#view === view) }, t[view]);
      button.addEventListener('click', () => {
        this.#view = view;
        this.#screen = { kind: 'list' };
        this.#render();
      });
      views.append(button);
    }
    const add = h('button', { type: 'button', class: 'primary' }, t.add);
    add.addEventListener('click', () => this.#show({ kind: 'form', row: null }));
    const chips =
      options.filters.size > 0
        ? h(
            'ul',
            { class: 'chips', 'aria-label': t.filters },
            ...[...options.filters].map(([field, values]) =>
              h('li', {}, `${field} : ${values.join(' ou ')}`),
            ),
          )
        : null;
    return h(
      'header',
      {},
      h('h2', {}, this.#title || options.dataset),
      h('label', { class: 'search' }, t.search, search),
      views,
      add,
      chips,
    );
  }

  #footer(options: EmbedOptions): HTMLElement {
    const link = `${this.#instance}/datasets/${encodeURIComponent(options.dataset)}`;
    return h(
      'footer',
      {},
      h('span', {}, `${this.#t.source} : ${this.#title || options.dataset}`),
      h('a', { href: link, target: '_blank', rel: 'noopener' }, `${this.#t.openInApp} ↗`),
    );
  }

  #show(screen: Screen): void {
    this.#screen = screen;
    this.#fillBody();
    this.#body?.querySelector<HTMLElement>('h3, input, button')?.focus();
  }

  #fillBody(): void {
    const body = this.#body;
    const status = this.#statusLine;
    if (!body || !status) return;
    const t = this.#t;
    this.#mapDispose?.();
    this.#mapDispose = null;
    status.textContent =
      this.#state === 'loading'
        ? t.loading
        : this.#state === 'unreachable'
          ? t.unreachable
          : t.count(this.#rows.length, this.#total);
    const screen = this.#screen;
    if (screen.kind === 'record') body.replaceChildren(this.#record(screen.row));
    else if (screen.kind === 'form') body.replaceChildren(this.#form(screen.row, screen.error));
    else if (screen.kind === 'done') body.replaceChildren(this.#done(screen));
    else if (this.#state !== 'ready') body.replaceChildren();
    else if (this.#rows.length === 0) body.replaceChildren(h('p', { class: 'notice' }, t.none));
    else if (this.#view === 'cards') body.replaceChildren(this.#cards());
    else if (this.#view === 'map') this.#map(body);
    else body.replaceChildren(this.#table());
  }

  #openButton(row: Row, label: string): HTMLElement {
    const button = h('a', { href: `#${encodeURIComponent(row.id)}` }, label || this.#t.open);
    button.addEventListener('click', (event) => {
      event.preventDefault();
      this.#show({ kind: 'record', row });
    });
    return button;
  }

  #table(): HTMLElement {
    const fields = this.#shownFields();
    const name = nameFieldOf(fields);
    const head = h('tr', {}, ...fields.map((f) => h('th', { scope: 'col' }, f)));
    const rows = this.#rows.map((row) => {
      const tr = h(
        'tr',
        { class: 'row', 'data-row': row.id },
        ...fields.map((f) =>
          h('td', {}, f === name ? this.#openButton(row, cellText(row.values[f])) : cellText(row.values[f])),
        ),
      );
      tr.addEventListener('click', (event) => {
        if ((event.target as HTMLElement).closest('a')) return;
        this.#show({ kind: 'record', row });
      });
      return tr;
    });
    return h('table', {}, h('thead', {}, head), h('tbody', {}, ...rows));
  }

  #cards(): HTMLElement {
    const fields = this.#shownFields();
    const name = nameFieldOf(fields);
    return h(
      'ul',
      { class: 'cards' },
      ...this.#rows.map((row) =>
        h(
          'li',
          { class: 'card', 'data-row': row.id },
          h('h3', {}, this.#openButton(row, cellText(name ? row.values[name] : row.id))),
          h(
            'dl',
            {},
            ...fields
              .filter((f) => f !== name && cellText(row.values[f]) !== '')
              .slice(0, 4)
              .flatMap((f) => [h('dt', {}, f), h('dd', {}, cellText(row.values[f]))]),
          ),
        ),
      ),
    );
  }

  #map(body: HTMLElement): void {
    const options = this.#options;
    if (!options) return;
    const container = h('div', { class: 'map', role: 'region', 'aria-label': this.#t.map });
    body.replaceChildren(h('p', { class: 'notice' }, this.#t.mapLoading));
    let disposed = false;
    this.#mapDispose = () => {
      disposed = true;
    };
    void Promise.all([
      import('./map.ts'),
      fetch(rowsUrl(this.#instance, options, this.#search, { format: 'geojson' })).then((r) => r.json()),
      fetch(`${this.#instance}/api/config`)
        .then((r) => (r.ok ? r.json() : {}))
        .catch(() => ({})),
    ]).then(([map, geojson, config]) => {
      if (disposed) return;
      body.replaceChildren(container);
      const tiles = (config as { basemap?: { url?: string; attribution?: string } }).basemap;
      const shown = map.showMap(this.#root, container, geojson, {
        ...(tiles?.url ? { tileUrl: tiles.url } : {}),
        ...(tiles?.attribution ? { attribution: tiles.attribution } : {}),
        name: nameFieldOf(this.#shownFields()),
        accent: options.accent,
        openLabel: this.#t.open,
        onOpen: (index) => void this.#openAt(index),
      });
      if (!shown.markers) body.append(h('p', { class: 'notice map-none', role: 'status' }, this.#t.mapNone));
      this.#mapDispose = shown.dispose;
    });
  }

  /** The record at a place of the current search (past the first page, asked for alone). */
  async #openAt(index: number): Promise<void> {
    const options = this.#options;
    let row = this.#rows[index];
    if (!row && options) {
      const url = new URL(rowsUrl(this.#instance, options, this.#search, { limit: 1 }));
      url.searchParams.set('offset', String(index));
      const answer = await fetch(url).catch(() => null);
      if (answer?.ok) row = ((await answer.json()) as { rows: Row[] }).rows[0];
    }
    if (row) this.#show({ kind: 'record', row });
  }

  #record(row: Row): HTMLElement {
    const t = this.#t;
    const fields = this.#shownFields();
    const name = nameFieldOf(fields);
    const back = h('button', { type: 'button' }, t.back);
    back.addEventListener('click', () => this.#show({ kind: 'list' }));
    const propose = h('button', { type: 'button', class: 'primary' }, t.propose);
    propose.addEventListener('click', () => this.#show({ kind: 'form', row }));
    return h(
      'article',
      { class: 'record', 'data-row': row.id },
      h('h3', { tabindex: '-1' }, cellText(name ? row.values[name] : row.id)),
      h(
        'dl',
        {},
        ...fields.flatMap((f) => [h('dt', {}, f), h('dd', { 'data-field': f }, cellText(row.values[f]))]),
      ),
      h('div', { class: 'actions' }, back, propose),
    );
  }

  #form(row: Row | null, error?: string): HTMLElement {
    const t = this.#t;
    const fields = this.#shownFields().filter((f) => !/^(id|identifiant)$/i.test(f));
    const inputs = new Map<string, HTMLInputElement>();
    const labels = fields.map((field) => {
      const input = h('input', { name: `field-${field}`, autocomplete: 'off' }) as HTMLInputElement;
      input.value = row ? cellText(row.values[field]) : '';
      inputs.set(field, input);
      return h('label', {}, field, input);
    });
    const comment = h('textarea', { name: 'comment', rows: '2', maxlength: '2000' }) as HTMLTextAreaElement;
    const contact = h('input', { name: 'contact', type: 'email', autocomplete: 'email' }) as HTMLInputElement;
    const honeypot = h('input', { name: 'website', tabindex: '-1', autocomplete: 'off' }) as HTMLInputElement;
    const cancel = h('button', { type: 'button' }, t.cancel);
    cancel.addEventListener('click', () => this.#show(row ? { kind: 'record', row } : { kind: 'list' }));
    const form = h(
      'form',
      { novalidate: '' },
      h('h3', { tabindex: '-1' }, row ? t.formChange : t.formCreate),
      error ? h('p', { class: 'error', role: 'alert' }, error) : null,
      ...labels,
      h('label', {}, t.comment, comment),
      h('label', {}, t.contact, contact),
      h('div', { class: 'hp', 'aria-hidden': 'true' }, h('label', {}, 'Website', honeypot)),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t.send), cancel),
    ) as HTMLFormElement;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (honeypot.value !== '') return;
      const base: Record<string, WireCellValue> = {};
      const proposed: Record<string, WireCellValue> = {};
      for (const [field, input] of inputs) {
        const before = row ? row.values[field] : undefined;
        const after = typed(input.value.trim(), before);
        if (row ? cellText(after) === cellText(before) : after === '') continue;
        if (row) base[field] = before ?? null;
        proposed[field] = after;
      }
      if (Object.keys(proposed).length === 0) {
        this.#show({ kind: 'form', row, error: t.nothingChanged });
        return;
      }
      const body: ProposalBody = {
        kind: row ? 'change' : 'create',
        ...(row ? { rowId: row.id } : {}),
        base,
        proposed,
        idempotencyKey: newKey(),
        ...(comment.value.trim() ? { comment: comment.value.trim() } : {}),
        ...(contact.value.trim() ? { contact: contact.value.trim() } : {}),
      };
      void this.#outbox.add(this.#instance, this.#options?.dataset ?? '', body).then((entry) => {
        const screen: Screen = { kind: 'done', entry, row };
        this.#show(screen);
        void this.#refreshStatus(screen);
      });
    });
    return form;
  }

  async #refreshStatus(screen: Extract<Screen, { kind: 'done' }>): Promise<void> {
    const { proposalId, receipt } = screen.entry;
    if (!proposalId || !receipt) return;
    try {
      const answer = await fetch(
        `${this.#instance}/api/proposals/${encodeURIComponent(proposalId)}?receipt=${encodeURIComponent(receipt)}`,
        { cache: 'no-cache' },
      );
      if (!answer.ok) return;
      const body = (await answer.json()) as { proposal?: { status?: string } };
      const status = body.proposal?.status;
      if (status && status !== screen.status && this.#screen === screen) {
        screen.status = status;
        this.#fillBody();
      }
    } catch {
      // Offline: the status is asked again on the next tick.
    }
  }

  #done(screen: Extract<Screen, { kind: 'done' }>): HTMLElement {
    const t = this.#t;
    const { entry } = screen;
    const back = h('button', { type: 'button' }, t.back);
    back.addEventListener('click', () => this.#show({ kind: 'list' }));
    const dataset = encodeURIComponent(this.#options?.dataset ?? '');
    const follow = screen.row
      ? `${this.#instance}/datasets/${dataset}/records/${encodeURIComponent(screen.row.id)}`
      : `${this.#instance}/datasets/${dataset}`;
    const lines: Child[] =
      entry.status === 'sent'
        ? [
            h('p', { role: 'status' }, t.sent),
            h('p', {}, `${t.receipt} : `, h('code', { 'data-receipt': '' }, entry.receipt ?? '')),
            h(
              'p',
              {},
              `${t.status} : `,
              h(
                'strong',
                { 'data-status': screen.status ?? 'pending' },
                t.statuses[screen.status ?? 'pending'] ?? '',
              ),
            ),
            h('a', { href: follow, target: '_blank', rel: 'noopener' }, `${t.follow} ↗`),
          ]
        : entry.status === 'refused'
          ? [h('p', { class: 'error', role: 'alert' }, t.refused(entry.error ?? ''))]
          : [h('p', { role: 'status' }, t.queued)];
    return h('div', { class: 'done' }, ...lines, h('div', { class: 'actions' }, back));
  }
}
