import { describe, expect, it } from 'vitest';
import { fetchPendingCount, readPendingCount } from './counts.ts';

describe('pending proposal counts on the dashboard', () => {
  it('reads a count, a total or a list, and nothing else', () => {
    expect(readPendingCount({ total: 3, proposals: [{}] })).toBe(3);
    expect(readPendingCount({ proposals: [{}, {}] })).toBe(2);
    expect(readPendingCount([{}])).toBe(1);
    expect(readPendingCount({ error: { code: 'forbidden' } })).toBeNull();
  });

  it('is unknown, not zero, when the server refuses or is unreachable', async () => {
    const refused = (async () => new Response('{}', { status: 403 })) as typeof fetch;
    expect(await fetchPendingCount(refused, 'd')).toBeNull();
    const offline = (async () => {
      throw new TypeError('offline');
    }) as typeof fetch;
    expect(await fetchPendingCount(offline, 'd')).toBeNull();
  });
});
