/**
 * How long the HTTP server waits for a client, so slow or idle connections (slowloris) cannot
 * pile up for good. Invariant: every value is a positive whole number of milliseconds; a bad
 * environment value is refused at start with the variable's name.
 */

export interface HttpTimeouts {
  /** Until the request's headers are complete (Node's `headersTimeout`; its default is 60 s). */
  headersTimeoutMs: number;
  /** Until the whole request, body included, is received (`requestTimeout`): a 100 MiB upload needs time. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this (`keepAliveTimeout`). */
  keepAliveTimeoutMs: number;
  /** How often the two limits above are checked (`connectionsCheckingInterval`; Node's default is 30 s). */
  checkIntervalMs: number;
}

export const defaultHttpTimeouts: HttpTimeouts = {
  headersTimeoutMs: 20_000,
  requestTimeoutMs: 300_000,
  keepAliveTimeoutMs: 5_000,
  checkIntervalMs: 2_000,
};

export const HTTP_TIMEOUT_VARIABLES: Record<keyof HttpTimeouts, string> = {
  headersTimeoutMs: 'DATAPATCH_HEADERS_TIMEOUT_MS',
  requestTimeoutMs: 'DATAPATCH_REQUEST_TIMEOUT_MS',
  keepAliveTimeoutMs: 'DATAPATCH_KEEP_ALIVE_TIMEOUT_MS',
  checkIntervalMs: 'DATAPATCH_CONNECTIONS_CHECK_MS',
};

/** Reads whole numbers above 0 from the environment, keyed by `variables`, over `defaults`. */
export function positiveNumbersFromEnvironment<T extends { [K in keyof T]: number }>(
  env: NodeJS.ProcessEnv,
  defaults: T,
  variables: Record<keyof T, string>,
): { ok: true; values: T } | { ok: false; message: string } {
  const values = { ...defaults };
  for (const key of Object.keys(variables) as (keyof T)[]) {
    const name = variables[key];
    const text = env[name];
    if (text === undefined || text === '') continue;
    if (!/^\d+$/.test(text) || Number(text) < 1)
      return { ok: false, message: `datapatch: ${name} must be a whole number above 0, got "${text}"` };
    values[key] = Number(text) as T[keyof T];
  }
  return { ok: true, values };
}

/** Node's server options for these timeouts (headers must come before the whole request). */
export function httpServerOptions(timeouts: HttpTimeouts) {
  return {
    headersTimeout: Math.min(timeouts.headersTimeoutMs, timeouts.requestTimeoutMs),
    requestTimeout: timeouts.requestTimeoutMs,
    keepAliveTimeout: timeouts.keepAliveTimeoutMs,
    connectionsCheckingInterval: timeouts.checkIntervalMs,
  };
}
