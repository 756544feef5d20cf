import type { AppErrorCode } from '@guotu/domain';

/** The one place an error code becomes an HTTP status. Exhaustive: a new code fails to compile here. */
export const httpStatusOf: Record<AppErrorCode, number> = {
  VALIDATION_FAILED: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNAUTHENTICATED: 401,
  // Not-found and not-allowed look the same to a caller without the scope (DESIGN §Security);
  // FORBIDDEN is for a caller who can see the thing but may not do this to it.
  FORBIDDEN: 403,
  CSRF_REJECTED: 403,
  RATE_LIMITED: 429,
  ACCOUNT_LOCKED: 423,
  INVALID_CREDENTIALS: 401,
  INVALID_STATE: 409,
  CALENDAR_NOT_COVERED: 422,
  CALENDAR_INVALID: 400,
  CLOCK_INVALID: 400,
  DEFINITION_INVALID: 400,
  OPERATION_NOT_ALLOWED: 409,
  COORDINATE_FILE_INVALID: 400,
  GEOMETRY_INVALID: 400,
  CONFIG_INVALID: 500,
  DEPENDENCY_UNAVAILABLE: 503,
  INTERNAL: 500,
};
