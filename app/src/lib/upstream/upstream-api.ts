/**
 * A dataset's official source over the server's API: settings, the release that is the base,
 * the dry run and the real run of a new release. Invariants: same-origin calls with the session
 * cookie; failures are values carrying the server's code, never thrown.
 */
import type { UpstreamRunAnswer, UpstreamSettings } from '@datapatch/protocol';

export type UpstreamResult<T> = { ok: true; value: T } | { ok: false; code: string };

type Fetch = typeof fetch;

const base = (datasetId: string) => `/api/datasets/${encodeURIComponent(datasetId)}/upstream`;

async function call<T>(fetcher: Fetch, url: string, init: RequestInit): Promise<UpstreamResult<T>> {
  let response: Response;
  try {
    response = await fetcher(url, {
      credentials: 'same-origin',
      ...init,
      headers: { accept: 'application/json', ...init.headers },
    });
  } catch {
    return { ok: false, code: 'network' };
  }
  const body = (await response.json().catch(() => null)) as (T & { error?: { code?: unknown } }) | null;
  if (!response.ok || body === null) {
    const code = body?.error?.code;
    return { ok: false, code: typeof code === 'string' ? code : `http-${response.status}` };
  }
  return { ok: true, value: body };
}

/** A release to send: the chosen file, or nothing (the server reads the source's URL). */
function releaseBody(file: File | null): RequestInit {
  if (file === null) return { method: 'POST' };
  const form = new FormData();
  form.set('file', file, file.name);
  return { method: 'POST', body: form };
}

export const upstreamApi = {
  settings: (fetcher: Fetch, datasetId: string) =>
    call<UpstreamSettings>(fetcher, base(datasetId), { method: 'GET' }),
  save: (fetcher: Fetch, datasetId: string, settings: { url: string | null; key: string[] }) =>
    call<UpstreamSettings>(fetcher, base(datasetId), {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(settings),
    }),
  nameBase: (fetcher: Fetch, datasetId: string, file: File) =>
    call<{ filename: string; takenAt: string; rows: number }>(
      fetcher,
      `${base(datasetId)}/release`,
      releaseBody(file),
    ),
  dryRun: (fetcher: Fetch, datasetId: string, file: File | null) =>
    call<UpstreamRunAnswer>(fetcher, `${base(datasetId)}/dry-run`, releaseBody(file)),
  apply: (fetcher: Fetch, datasetId: string, file: File | null) =>
    call<UpstreamRunAnswer>(fetcher, `${base(datasetId)}/apply`, releaseBody(file)),
  changesUrl: (datasetId: string) => `${base(datasetId)}/changes.csv`,
};
