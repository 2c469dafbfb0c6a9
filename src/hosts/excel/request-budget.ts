/**
 * Keeping Office.js requests small. Every `context.sync()` sends the queued operations as one
 * request, serialised as JSON; Excel on the web refuses requests (and responses) of 5 MB or more.
 * The host estimates each operation's serialised size before queuing it and syncs first when the
 * operation would take the request past its budget.
 */

/** Budget per request: under the 5 MB that Excel on the web accepts, with room for the envelope. */
export const DEFAULT_MAX_REQUEST_BYTES = 4_000_000;

/** Allowance per queued operation for what Office.js adds around its arguments (object path, ids). */
export const OPERATION_BYTES = 256;

/**
 * Share of each request's budget kept free for Office.js's own envelope (action records, object
 * paths, ids), which the payload count cannot see: an independent count of a 10,000-customer plan
 * found a request ~5 % above its counted size. Requests are filled to 90 % of the budget.
 */
export const ENVELOPE_HEADROOM = 0.1;

/** Bytes of `text` in UTF-8 (Chinese text is 3 bytes a character on the wire). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4; // a surrogate pair: one 4-byte character
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Serialised size of a value as Office.js sends it (JSON, UTF-8). */
export function jsonBytes(value: unknown): number {
  return utf8Length(JSON.stringify(value) ?? 'null');
}

/**
 * Counts what is queued on a context and syncs before an operation would overflow the budget.
 * Each request starts by suspending calculation (until that sync), so Excel does not recalculate
 * while a large plan arrives.
 */
export class RequestBudget {
  private queued = 0;
  syncs = 0;
  largestRequestBytes = 0;
  readonly requestBytes: number[] = [];

  /** What the counted payloads of one request may add up to: the budget less the envelope's headroom. */
  readonly fillBytes: number;

  constructor(
    private readonly context: Excel.RequestContext,
    readonly maxBytes: number = DEFAULT_MAX_REQUEST_BYTES,
  ) {
    this.fillBytes = Math.floor(maxBytes * (1 - ENVELOPE_HEADROOM));
    this.begin();
  }

  private begin(): void {
    this.context.application.suspendApiCalculationUntilNextSync();
    this.queued = OPERATION_BYTES;
  }

  /** The most one operation may carry (its own allowance and the request's opening excluded). */
  get maxOperationBytes(): number {
    return this.fillBytes - 3 * OPERATION_BYTES;
  }

  /** Makes room for an operation of `bytes` (payload only): syncs first if it would not fit. */
  async reserve(bytes: number): Promise<void> {
    if (this.queued + bytes + OPERATION_BYTES > this.fillBytes && this.queued > OPERATION_BYTES)
      await this.sync();
    this.queued += bytes + OPERATION_BYTES;
  }

  /** Counts a small operation (a property, a method call) without a size check of its own. */
  note(bytes = 0): void {
    this.queued += bytes + OPERATION_BYTES;
  }

  async sync(): Promise<void> {
    await this.send();
    this.begin();
  }

  /** Sends the last request, starting no new one (nothing is left queued for Excel.run to send). */
  async finish(): Promise<void> {
    await this.send();
  }

  private async send(): Promise<void> {
    this.requestBytes.push(this.queued);
    this.largestRequestBytes = Math.max(this.largestRequestBytes, this.queued);
    this.syncs++;
    await this.context.sync();
  }
}
