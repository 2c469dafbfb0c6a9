/**
 * Progress of a long command on a terminal: one line on standard error (phase, rows, percent,
 * elapsed time), redrawn at most every PROGRESS_INTERVAL_MS and cleared at the end. Nothing at all
 * when standard error is not a terminal (a pipe, a file, a CI log) or with --quiet; standard output
 * is never touched.
 */

/** The part of a stream the reporter needs (process.stderr, or a fake terminal in tests). */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** Redraws at most this often. */
export const PROGRESS_INTERVAL_MS = 200;

/** Carriage return and erase-line: the line is drawn over in place, and left blank at the end. */
const CLEAR_LINE = '\r\x1b[K';

export class Progress {
  private readonly enabled: boolean;
  private readonly started: number;
  private lastDraw = -Infinity;
  private phaseName = '';
  private drawn = false;

  constructor(
    private readonly stream: ProgressStream | undefined,
    options: { quiet?: boolean; now?: () => number } = {},
    private readonly now: () => number = options.now ?? (() => performance.now()),
  ) {
    this.enabled = stream?.isTTY === true && options.quiet !== true;
    this.started = this.now();
  }

  /** Starts a phase ("reading tx.csv"); drawn at once. */
  phase(name: string): void {
    this.phaseName = name;
    this.lastDraw = -Infinity;
    this.update();
  }

  /** Reports rows done and the fraction done (0..1) when known; throttled. */
  update(rows?: number, fraction?: number): void {
    if (!this.enabled) return;
    const now = this.now();
    if (now - this.lastDraw < PROGRESS_INTERVAL_MS) return;
    this.lastDraw = now;
    const parts = [this.phaseName];
    if (rows !== undefined) parts.push(`${rows.toLocaleString('en-US')} rows`);
    if (fraction !== undefined) parts.push(`${Math.min(100, Math.floor(fraction * 100))} %`);
    parts.push(`${((now - this.started) / 1000).toFixed(1)} s`);
    (this.stream as ProgressStream).write(`${CLEAR_LINE}${parts.join(', ')}`);
    this.drawn = true;
  }

  /** Clears the line, so what follows on standard error starts on a clean line. */
  done(): void {
    if (this.enabled && this.drawn) (this.stream as ProgressStream).write(CLEAR_LINE);
    this.drawn = false;
  }
}
