/** The progress line of long commands: on a terminal only, throttled, cleared at the end; never on standard output. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Progress, PROGRESS_INTERVAL_MS, ProgressStream } from '../../src/cli/progress';
import { main } from '../../src/cli/main';

/** A fake terminal (or pipe) that records what is written to it. */
class FakeStream implements ProgressStream {
  written: string[] = [];
  constructor(readonly isTTY: boolean) {}
  write(text: string): boolean {
    this.written.push(text);
    return true;
  }
}

describe('Progress', () => {
  test('on a terminal: phase, rows, percent and elapsed time, redrawn at most every interval, cleared at the end', () => {
    let clock = 1000;
    const tty = new FakeStream(true);
    const progress = new Progress(tty, { now: () => clock });
    progress.phase('reading tx.csv');
    clock += 50;
    progress.update(65_536, 0.1); // within the interval: not drawn
    clock += PROGRESS_INTERVAL_MS;
    progress.update(131_072, 0.256);
    clock += 1000;
    progress.phase('writing plan.xlsx');
    progress.done();
    expect(tty.written).toEqual([
      '\r\x1b[Kreading tx.csv, 0.0 s',
      '\r\x1b[Kreading tx.csv, 131,072 rows, 25 %, 0.3 s',
      '\r\x1b[Kwriting plan.xlsx, 1.3 s',
      '\r\x1b[K',
    ]);
  });

  test('not a terminal, or --quiet: nothing at all', () => {
    for (const [stream, quiet] of [
      [new FakeStream(false), false],
      [new FakeStream(true), true],
    ] as const) {
      const progress = new Progress(stream, { quiet });
      progress.phase('reading');
      progress.update(1, 0.5);
      progress.done();
      expect(stream.written).toEqual([]);
    }
  });
});

describe('cbp plan and progress', () => {
  const folder = mkdtempSync(join(tmpdir(), 'cbp-progress-'));
  writeFileSync(join(folder, 'tx.csv'), 'customer,date,amount\nA,2025-01-05,100\nB,2025-02-10,20\n');

  async function plan(stream: FakeStream, extra: string[] = []) {
    let stdout = '';
    let stderr = '';
    const code = await main(['plan', 'tx.csv', '--budget', '100', '--out', 'plan.xlsx', ...extra], {
      stdout: (t) => void (stdout += t),
      stderr: (t) => void (stderr += t),
      stderrStream: stream,
      cwd: folder,
    });
    return { code, stdout, stderr, progress: stream.written };
  }

  test('on a terminal the progress line is drawn and cleared; standard output stays empty', async () => {
    const run = await plan(new FakeStream(true));
    expect(run).toMatchObject({ code: 0, stdout: '' });
    expect(run.progress[0]).toMatch(/^\r\x1b\[Kreading tx\.csv, \d+\.\d s$/);
    expect(run.progress.at(-1)).toBe('\r\x1b[K');
    expect(run.stderr).toMatch(/^plan\.xlsx: 2 customers/);
  });

  test('not a terminal, or --quiet: no progress, the same messages', async () => {
    const pipe = await plan(new FakeStream(false));
    const quiet = await plan(new FakeStream(true), ['--quiet']);
    expect(pipe.progress).toEqual([]);
    expect(quiet.progress).toEqual([]);
    expect(pipe.stderr).toBe(quiet.stderr);
    expect(pipe.stderr).toMatch(
      /^plan\.xlsx: 2 customers as of 2025-02-10, plan year 2026; budget 100\.00 = allocated 100\.00 \+ reserve 0\.00 \+ unallocated 0\.00\n$/,
    );
  });
});
