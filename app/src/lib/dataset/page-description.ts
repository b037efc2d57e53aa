/**
 * A dataset page's `<meta name="description">`: the dataset's own description on one line, or a
 * sentence naming it. The server writes the same into index.html for the first load
 * (sync-server/src/http/page-meta.ts); this keeps it right as the app navigates.
 */
import { i18n } from '$lib/i18n/locale.svelte.ts';

export function pageDescription(description: string | undefined | null, title: string): string {
  const line = (description ?? '').replace(/\s+/g, ' ').trim();
  return line !== '' ? line : i18n.t('dataset.metaDescription', { title });
}
