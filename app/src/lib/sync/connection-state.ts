/**
 * What the citizen is told about the connection: `online` only once the server has
 * confirmed the document is in sync, `offline` when the browser or the server is out of
 * reach (also while the provider keeps retrying after a failure), `syncing` in between.
 */

export type ConnectionState = 'online' | 'syncing' | 'offline';
export type ProviderStatus = 'connected' | 'connecting' | 'disconnected';

export function connectionState(
  previous: ConnectionState,
  facts: { browserOnline: boolean; provider: ProviderStatus; synced: boolean },
): ConnectionState {
  if (!facts.browserOnline) return 'offline';
  if (facts.provider === 'disconnected') return 'offline';
  if (facts.provider === 'connected') return facts.synced ? 'online' : 'syncing';
  // connecting: a retry after a failure stays "offline" until it succeeds.
  return previous === 'offline' ? 'offline' : 'syncing';
}
