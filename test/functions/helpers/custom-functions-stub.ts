/**
 * A minimal stand-in for the `CustomFunctions` global that Office.js provides in the shared
 * runtime: the Error class, the ErrorCode values (the strings Excel shows) and associate().
 */
import { EXCEL_ERROR_CODES } from '../../../src/functions/error-codes';

export const ErrorCode = EXCEL_ERROR_CODES;

export class StubCustomFunctionsError {
  constructor(
    public code: string,
    public message?: string,
  ) {}
}

export interface CustomFunctionsStub {
  Error: typeof StubCustomFunctionsError;
  ErrorCode: typeof ErrorCode;
  associated: Map<string, (...args: unknown[]) => unknown>;
  associate(id: string, fn: (...args: unknown[]) => unknown): void;
}

/** Installs the stub as the global `CustomFunctions` (idempotent) and returns it. */
export function installCustomFunctionsStub(): CustomFunctionsStub {
  const holder = globalThis as unknown as { CustomFunctions?: CustomFunctionsStub };
  if (!holder.CustomFunctions) {
    const associated = new Map<string, (...args: unknown[]) => unknown>();
    holder.CustomFunctions = {
      Error: StubCustomFunctionsError,
      ErrorCode,
      associated,
      associate: (id, fn) => {
        associated.set(id, fn);
      },
    };
  }
  return holder.CustomFunctions;
}

/** Runs `call`, expecting it to throw a CustomFunctions.Error; returns it for assertions. */
export function thrownError(call: () => unknown): StubCustomFunctionsError {
  try {
    call();
  } catch (error) {
    if (error instanceof StubCustomFunctionsError) return error;
    throw new Error(`expected a CustomFunctions.Error, got ${String(error)}`);
  }
  throw new Error('expected a CustomFunctions.Error, but the call returned normally');
}
