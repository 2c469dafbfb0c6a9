/** Temporary file names for writing a file whole: beside the target, renamed over it at the end. */
import { basename, dirname, join } from 'node:path';

/** A temporary name in the target's folder (hidden, with the process id), so the final rename never crosses file systems. */
export function temporaryPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
}
