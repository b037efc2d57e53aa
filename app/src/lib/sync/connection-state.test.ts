import { describe, expect, it } from 'vitest';
import { connectionState } from './connection-state.ts';

describe('the connection state shown to the citizen', () => {
  it('says online only when connected and in sync', () => {
    expect(connectionState('syncing', { browserOnline: true, provider: 'connected', synced: true })).toBe(
      'online',
    );
    expect(connectionState('syncing', { browserOnline: true, provider: 'connected', synced: false })).toBe(
      'syncing',
    );
  });

  it('says offline when the browser is offline, whatever the provider thinks', () => {
    expect(connectionState('online', { browserOnline: false, provider: 'connected', synced: true })).toBe(
      'offline',
    );
  });

  it('says the server is unreachable, never online, while the provider retries after losing it', () => {
    const lost = connectionState('online', { browserOnline: true, provider: 'disconnected', synced: true });
    expect(lost).toBe('unreachable');
    expect(connectionState(lost, { browserOnline: true, provider: 'connecting', synced: false })).toBe(
      'unreachable',
    );
    // The browser came back online while the server was still out of reach.
    expect(connectionState('offline', { browserOnline: true, provider: 'connecting', synced: false })).toBe(
      'unreachable',
    );
    expect(connectionState('syncing', { browserOnline: true, provider: 'connecting', synced: false })).toBe(
      'syncing',
    );
  });
});
