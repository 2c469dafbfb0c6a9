import type { Locale } from '../i18n';
import type { ProgressStream } from './progress';

/** The language of the `cbp` command's own messages (its sheets follow --lang). */
export const CLI_LOCALE: Locale = 'en';

/** What a `cbp` subcommand gets from the process, so commands are testable without spawning. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Standard error as a stream, for progress on a terminal (absent in tests: no progress). */
  stderrStream?: ProgressStream;
  /** Directory relative paths resolve against. */
  cwd: string;
}

/** A subcommand: parses its own argv (after the subcommand name) and returns the exit code. */
export type Command = (argv: string[], io: CliIo) => Promise<number>;

/** Exit codes: 0 ok, 1 unexpected failure, 2 bad input or usage (message printed, no stack trace). */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;

/** A usage or file problem that should print one clear line and exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
