/**
 * One error type for the whole product. Domain code throws `AppError(code)`; the HTTP edge
 * maps the code to a status once (apps/server/src/platform/http-errors.ts). Codes are
 * documented in docs/api/errors.md — add a row there when you add one here.
 *
 * Classified by who must act (after n8n): user errors (4xx, never retried), operational
 * errors (retry with backoff), unexpected (500, reported).
 */
export const appErrorCodes = [
  // caller must fix the request
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'CONFLICT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'CSRF_REJECTED',
  'RATE_LIMITED',
  'ACCOUNT_LOCKED',
  'INVALID_CREDENTIALS',
  'INVALID_STATE',
  // clocks and calendar
  'CALENDAR_NOT_COVERED',
  'CALENDAR_INVALID',
  'CLOCK_INVALID',
  // workflow
  'DEFINITION_INVALID',
  'OPERATION_NOT_ALLOWED',
  // spatial
  'COORDINATE_FILE_INVALID',
  'GEOMETRY_INVALID',
  // the platform itself
  'CONFIG_INVALID',
  'DEPENDENCY_UNAVAILABLE',
  'INTERNAL',
] as const;

export type AppErrorCode = (typeof appErrorCodes)[number];

export interface AppErrorDetail {
  /** dotted path of the offending field (`body.username`) or a line number as `line:12` */
  path?: string;
  line?: number;
  message: string;
}

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly details: readonly AppErrorDetail[];

  constructor(code: AppErrorCode, message: string, details: readonly AppErrorDetail[] = []) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
