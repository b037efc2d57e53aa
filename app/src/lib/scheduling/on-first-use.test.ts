import { afterEach, describe, expect, it, vi } from 'vitest';
import { onFirstUse } from './on-first-use.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('work started on first use or after a quiet while', () => {
  it('runs once, on the first key or touch', () => {
    const page = new EventTarget();
    const run = vi.fn();
    onFirstUse(run, 60_000, page);
    page.dispatchEvent(new Event('keydown'));
    page.dispatchEvent(new Event('pointerdown'));
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('runs once the page has been left alone long enough, and never after being cancelled', () => {
    vi.useFakeTimers();
    const page = new EventTarget();
    const run = vi.fn();
    onFirstUse(run, 4000, page);
    vi.advanceTimersByTime(3999);
    expect(run).not.toHaveBeenCalled();
    vi.advanceTimersByTime(200);
    expect(run).toHaveBeenCalledTimes(1);

    const left = vi.fn();
    const cancel = onFirstUse(left, 4000, page);
    cancel();
    page.dispatchEvent(new Event('keydown'));
    vi.advanceTimersByTime(10_000);
    expect(left).not.toHaveBeenCalled();
  });
});
