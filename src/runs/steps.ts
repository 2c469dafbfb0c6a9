/**
 * A run as a sequence of steps, so that one run serves an asynchronous host (Office.js: every
 * call is a promise) and a synchronous one (Apps Script: every service call returns its value)
 * alike. A run is a generator that yields each host call's result (a value or a promise) through
 * `step` and is resumed with the settled value: `drive` awaits (Excel), `driveSync` does not
 * (Sheets, where a server function must return its value, not a promise, to google.script.run).
 */

export type Awaitable<T> = T | Promise<T>;

/** A run: yields host results, returns the run's result. */
export type Steps<T> = Generator<unknown, T, unknown>;

/** One host call inside a run: `const names = yield* step(host.readNames())`. */
export function* step<T>(value: Awaitable<T>): Generator<unknown, T, unknown> {
  return (yield value) as T;
}

/**
 * A step that lets the user interface breathe: an asynchronous driver hands the event loop a turn
 * (the pane paints its progress, a Cancel click is handled); the synchronous one ignores it.
 */
export const LET_UI_BREATHE = Symbol('let the UI breathe');

export function* letUiBreathe(): Generator<unknown, void, unknown> {
  yield LET_UI_BREATHE;
}

/** Longest stretch, in milliseconds, that `drive` runs steps without giving the event loop a turn (one frame). */
export const MAX_BUSY_MS = 16;

/** The host's timer, looked up (Apps Script has none; its runs use driveSync and never get here). */
const timer = (globalThis as { setTimeout?: (callback: () => void, ms: number) => unknown }).setTimeout;

/** A macrotask turn: promises that settle at once (a fast host, a test fake) would otherwise starve the UI. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => (timer ? timer(() => resolve(), 0) : resolve()));
}

/**
 * Runs the steps, awaiting each host result (a rejection is thrown into the run at its step), and
 * gives the event loop a turn at each LET_UI_BREATHE and whenever MAX_BUSY_MS have passed without one.
 */
export async function drive<T>(steps: Steps<T>): Promise<T> {
  let next = steps.next();
  let turnAt = Date.now();
  while (!next.done) {
    let settled: unknown;
    try {
      if (next.value === LET_UI_BREATHE || Date.now() - turnAt > MAX_BUSY_MS) {
        await nextTurn();
        turnAt = Date.now();
      }
      settled = next.value === LET_UI_BREATHE ? undefined : await next.value;
    } catch (error) {
      next = steps.throw(error);
      continue;
    }
    next = steps.next(settled);
  }
  return next.value;
}

/** Runs the steps of a synchronous host in one go; a promise from the host is a programming error. */
export function driveSync<T>(steps: Steps<T>): T {
  let next = steps.next();
  while (!next.done) {
    if (next.value instanceof Promise) throw new Error('driveSync: the host returned a promise; use drive');
    next = steps.next(next.value === LET_UI_BREATHE ? undefined : next.value);
  }
  return next.value;
}
