/** drive and driveSync: host results in, the event loop given a turn often enough for a responsive pane. */
import { drive, driveSync, letUiBreathe, step, Steps } from '../../src/runs';
import { MAX_BUSY_MS } from '../../src/runs/steps';

function busy(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // a synchronous stretch of work, as the engine's computation is
  }
}

/** `count` host calls that settle at once (as a fast host or a fake does), each followed by `workMs` of work. */
function* busyRun(count: number, workMs: number): Steps<number> {
  let sum = 0;
  for (let k = 0; k < count; k++) {
    sum += yield* step(Promise.resolve(k));
    busy(workMs);
  }
  return sum;
}

test('drive gives the event loop a turn at least every MAX_BUSY_MS (plus one step), even when every host call settles at once', async () => {
  const ticks: number[] = [];
  const timer = setInterval(() => ticks.push(Date.now()), 0);
  const start = Date.now();
  const sum = await drive(busyRun(60, 4));
  clearInterval(timer);
  expect(sum).toBe((59 * 60) / 2);
  // 60 x 4 ms of work: without turns, no tick would run until the end.
  expect(ticks.length).toBeGreaterThanOrEqual(5);
  const gaps = [ticks[0] - start, ...ticks.slice(1).map((t, k) => t - ticks[k])];
  // Generous for a loaded 2-core machine: a turn comes after at most MAX_BUSY_MS of steps plus the step that crossed it.
  expect(Math.max(...gaps)).toBeLessThan(MAX_BUSY_MS + 4 + 60);
});

test('letUiBreathe: drive hands the event loop a turn there; driveSync passes over it', async () => {
  function* run(): Steps<string> {
    const order: string[] = [];
    setTimeout(() => order.push('timer'), 0);
    order.push('before');
    yield* letUiBreathe();
    order.push('after');
    return order.join(',');
  }
  await expect(drive(run())).resolves.toBe('before,timer,after');
  expect(driveSync(run())).toBe('before,after');
});

test('a rejected host call is thrown into the run at its step', async () => {
  function* run(): Steps<string> {
    try {
      yield* step(Promise.reject(new Error('host failed')));
      return 'not reached';
    } catch (error) {
      return (error as Error).message;
    }
  }
  await expect(drive(run())).resolves.toBe('host failed');
});
