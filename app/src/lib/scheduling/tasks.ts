/**
 * When to run work so that the page paints first: the next task, after the next painted frame,
 * or when the browser is idle. Plain functions over browser timers; without a DOM (unit tests)
 * they fall back to timers.
 */

// A macrotask without setTimeout's 4 ms clamp after nested calls.
const taskChannel = typeof MessageChannel === 'undefined' ? null : new MessageChannel();
const tasks: (() => void)[] = [];
if (taskChannel !== null) taskChannel.port1.onmessage = () => tasks.shift()?.();

export function nextTask(run: () => void): void {
  if (taskChannel === null) {
    setTimeout(run, 0);
    return;
  }
  tasks.push(run);
  taskChannel.port2.postMessage(null);
}

/** Past this, `afterPaint` runs anyway: a hidden tab draws no frames. */
const AFTER_PAINT_LIMIT_MS = 100;

/** Runs `run` once the next frame is painted (or soon anyway: a hidden tab draws no frames). */
export function afterPaint(run: () => void): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    run();
  };
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => nextTask(once));
  setTimeout(once, AFTER_PAINT_LIMIT_MS);
}

/** Runs `run` when the browser has nothing else to do. */
export function whenIdle(run: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(run);
  else setTimeout(run, 50);
}
