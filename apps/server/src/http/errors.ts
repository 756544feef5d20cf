import type { FastifyError, FastifyInstance } from 'fastify';
import type { AppError } from '@guotu/domain';
import { isAppError, type AppErrorDetail } from '@guotu/domain';
import type { ErrorResponse } from '@guotu/contracts';
import { httpStatusOf } from '../platform/http-errors.ts';

interface ValidationIssue {
  instancePath: string;
  message?: string;
  params?: Record<string, unknown>;
}

function validationDetails(context: string, issues: readonly ValidationIssue[]): AppErrorDetail[] {
  return issues.map((issue) => {
    const extra = issue.params?.additionalProperty ?? issue.params?.missingProperty;
    const segments = issue.instancePath.split('/').filter(Boolean);
    if (typeof extra === 'string') segments.push(extra);
    const path = [context, ...segments].join('.');
    return { path, message: issue.message ?? 'invalid' };
  });
}

/** The one error handler: AppError → its status; schema failures → 400 with the field path; else 500 without internals. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
    let body: ErrorResponse;
    let status: number;
    const fastifyError = error as FastifyError;
    if (isAppError(error)) {
      status = httpStatusOf[error.code];
      body = { code: error.code, message: error.message, details: [...error.details], requestId: request.id };
    } else if (fastifyError.validation) {
      status = 400;
      const details = validationDetails(fastifyError.validationContext ?? 'body', fastifyError.validation);
      body = {
        code: 'VALIDATION_FAILED',
        message: `invalid request: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}`,
        details,
        requestId: request.id,
      };
    } else if (fastifyError.statusCode === 429) {
      status = 429;
      body = {
        code: 'RATE_LIMITED',
        message: 'too many requests; try again later',
        details: [],
        requestId: request.id,
      };
    } else if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
      // Fastify's own client errors: bad JSON, wrong content type, body too large.
      status = fastifyError.statusCode;
      body = {
        code: status === 404 ? 'NOT_FOUND' : 'VALIDATION_FAILED',
        message: fastifyError.message,
        details: [],
        requestId: request.id,
      };
    } else {
      status = 500;
      request.log.error({ err: error }, 'unexpected error');
      body = {
        code: 'INTERNAL',
        message: 'internal error; quote the request id when reporting it',
        details: [],
        requestId: request.id,
      };
    }
    if (status >= 500 && isAppError(error)) request.log.error({ err: error }, error.message);
    void reply.status(status).send(body);
  });
}
