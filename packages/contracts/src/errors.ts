import type { AppErrorCode, AppErrorDetail } from '@guotu/domain';

/** Every error answer of the API has this shape. */
export interface ErrorResponse {
  code: AppErrorCode;
  message: string;
  details: AppErrorDetail[];
  requestId: string;
}
