import { describe, expect, it } from 'vitest';
import { colorFor, peersByCell, peersOf } from './presence.ts';

describe('presence of other editors', () => {
  it('lists the others with their hub, colour and cell, never ourselves', () => {
    const mine = { clientID: 3 };
    const states = new Map<number, Record<string, unknown>>([
      [mine.clientID, { user: { id: 'me', name: 'Moi' } }],
      [7, { user: { id: 'u2', name: 'Bea', hub: 'Hub Lyon' }, cursor: { rowId: 'r1', field: 'nom' } }],
      [8, { cursor: { rowId: 'r1', field: 'nom' } }],
      [9, { user: { id: 'u3', name: 'Awa', color: 'red;background:url(x)' }, cursor: null }],
    ]);
    const peers = peersOf(states, mine.clientID);
    expect(peers.map((p) => [p.name, p.hub, p.cursor])).toEqual([
      ['Awa', undefined, null],
      ['Bea', 'Hub Lyon', { rowId: 'r1', field: 'nom' }],
    ]);
    // A colour from another client is only used when it is a plain hex colour.
    expect(peers[0]?.color).toBe(colorFor('u3'));
    expect(
      peersByCell(peers)
        .get('r1\u001fnom')
        ?.map((p) => p.name),
    ).toEqual(['Bea']);
  });

  it('gives one person the same colour everywhere', () => {
    expect(colorFor('user-42')).toBe(colorFor('user-42'));
    expect(colorFor('user-42')).toMatch(/^#[0-9a-f]{6}$/);
  });
});
