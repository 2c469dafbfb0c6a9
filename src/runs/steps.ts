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

/** Runs the steps, awaiting each host result (a rejection is thrown into the run at its step). */
export async function drive<T>(steps: Steps<T>): Promise<T> {
  let next = steps.next();
  while (!next.done) {
    let settled: unknown;
    try {
      settled = await next.value;
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
    next = steps.next(next.value);
  }
  return next.value;
}
