/**
 * Work a page does not need to show itself (opening a dataset's sync session on a public page
 * already painted from the API): it runs on the visitor's first touch, key or focus, or once the
 * page has been left alone a while, whichever comes first, and only once. Cancelling (the page
 * was left) drops it.
 */
import { whenIdle } from './tasks.ts';

const USE_EVENTS = ['pointerdown', 'keydown', 'focusin', 'wheel', 'touchstart'] as const;

export function onFirstUse(run: () => void, idleAfterMs: number, target: EventTarget = window): () => void {
  let done = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = () => {
    done = true;
    clearTimeout(timer);
    for (const type of USE_EVENTS) target.removeEventListener(type, now, true);
  };
  function now(): void {
    if (done) return;
    stop();
    run();
  }
  for (const type of USE_EVENTS) target.addEventListener(type, now, { capture: true, passive: true });
  timer = setTimeout(() => whenIdle(now), idleAfterMs);
  return stop;
}
