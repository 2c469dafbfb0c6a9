/** Pending: wraps the engine's allocate module once it lands; until then the function says so instead of computing. */
import { InputError } from '../engine/errors';

// eslint-disable-next-line @typescript-eslint/no-unused-vars -- the engine module this wraps has not landed yet
export function allocateRows(_args: object): unknown[][] {
  throw new InputError('no-data', 'this function is not available in this build yet');
}
