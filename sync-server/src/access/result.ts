/**
 * Expected failures are values: every public function here answers `Ok<T> | Failure<C>`.
 * A failure's `code` is a stable wire code from @datapatch/protocol; `message` is English
 * for logs, and clients localise by code (see messages.ts).
 */
import { messageFor } from './messages.ts';

export interface Issue {
  /** Where: a body path such as `proposed.name`. */
  path: string;
  code: string;
  message: { fr: string; en: string };
}

export interface Failure<C extends string = string> {
  ok: false;
  error: { code: C; message: string; retryAfterMs?: number; issues?: Issue[]; fields?: string[] };
}
export type Ok<T> = { ok: true } & T;
export type Result<T, C extends string = string> = Ok<T> | Failure<C>;

export function fail<C extends string>(
  code: C,
  extra: { retryAfterMs?: number; issues?: Issue[]; fields?: string[] } = {},
): Failure<C> {
  return { ok: false, error: { code, message: messageFor(code, 'en'), ...extra } };
}
