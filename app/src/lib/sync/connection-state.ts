/**
 * What the citizen is told about the connection: `online` only once the server has
 * confirmed the document is in sync, `offline` when the browser itself is offline,
 * `unreachable` when the browser is online but the server cannot be reached (also while the
 * provider keeps retrying after a failure), `syncing` in between.
 */

export type ConnectionState = 'online' | 'syncing' | 'offline' | 'unreachable';
export type ProviderStatus = 'connected' | 'connecting' | 'disconnected';

export function connectionState(
  previous: ConnectionState,
  facts: { browserOnline: boolean; provider: ProviderStatus; synced: boolean },
): ConnectionState {
  if (!facts.browserOnline) return 'offline';
  if (facts.provider === 'disconnected') return 'unreachable';
  if (facts.provider === 'connected') return facts.synced ? 'online' : 'syncing';
  // connecting: a retry after a failure stays "unreachable" until it succeeds.
  return previous === 'offline' || previous === 'unreachable' ? 'unreachable' : 'syncing';
}
