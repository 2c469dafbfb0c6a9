/**
 * Cancelling a run: an AbortSignal-like token (the DOM's AbortSignal fits) passed through the run
 * layer to the host. A cancelled run is a failure with the reason 'cancelled': the host undoes what
 * it had written, exactly as for a failed write, and the caller reports it as a cancellation.
 */
import { Locale, t } from '../i18n';

/** What a run needs of an AbortSignal. */
export interface RunSignal {
  readonly aborted: boolean;
}

export class RunCancelledError extends Error {
  readonly code = 'cancelled';
  constructor(locale: Locale = 'en') {
    super(t(locale, 'run.cancelled'));
    this.name = 'RunCancelledError';
  }
}

/** Throws RunCancelledError when the signal has been aborted. */
export function throwIfCancelled(signal: RunSignal | undefined, locale: Locale = 'en'): void {
  if (signal?.aborted) throw new RunCancelledError(locale);
}
