import pino, { type Logger } from 'pino';
import type { Config } from './config.ts';

export type { Logger };

/** JSON logs to stdout; request ids are added per request by Fastify (`reqId`). */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    base: { app: 'guotu' },
    redact: ['req.headers.cookie', 'req.headers["x-csrf-token"]', 'password'],
  });
}
