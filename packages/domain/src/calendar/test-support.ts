// Test helper (not exported from the package): the AppError code a call throws.
import { isAppError } from '../errors.ts';

export function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return isAppError(error) ? error.code : `not an AppError: ${String(error)}`;
  }
  return undefined;
}
