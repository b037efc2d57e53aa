import { describe, expect, it } from 'vitest';
import { nextProbeDelay, reachOf } from './server-reach.ts';

describe('whether the server answers', () => {
  it('is reachable on any answer of its own, refusals included', () => {
    for (const status of [200, 204, 401, 403, 404, 409, 429, 500]) expect(reachOf(status)).toBe('reachable');
  });

  it('is unreachable when no answer came, or a proxy says the server is down', () => {
    expect(reachOf(null)).toBe('unreachable');
    for (const status of [502, 503, 504]) expect(reachOf(status)).toBe('unreachable');
  });

  it('probes again sooner at first, then at most once a minute', () => {
    const delays: number[] = [];
    let delay: number | null = null;
    for (let i = 0; i < 6; i++) {
      delay = nextProbeDelay(delay);
      delays.push(delay);
    }
    expect(delays).toEqual([5_000, 10_000, 20_000, 40_000, 60_000, 60_000]);
  });
});
