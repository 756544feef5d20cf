import type { FastifyInstance } from 'fastify';
import { pauseKinds, type Clock } from '@guotu/domain';
import type { AppContext } from '../../http/context.ts';
import { errorResponses } from '../../http/schemas.ts';
import { computeClock } from './service.ts';

const instant = { type: 'string', format: 'date-time' } as const;

export function clockRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post<{ Body: Clock & { now?: string } }>(
    '/api/v1/clocks/compute',
    {
      config: { access: 'calendar.read' },
      schema: {
        summary: 'Compute a clock: start, limit, pauses, extensions → due time, state and a day-by-day explanation',
        tags: ['calendar'],
        body: {
          type: 'object',
          properties: {
            unit: { type: 'string', enum: ['workday', 'day', 'hour'] },
            start: instant,
            limit: { type: 'integer', minimum: 1, maximum: 3650 },
            pauses: {
              type: 'array',
              maxItems: 100,
              items: {
                type: 'object',
                properties: {
                  kind: { type: 'string', enum: [...pauseKinds] },
                  from: instant,
                  to: { anyOf: [instant, { type: 'null' }] },
                  reason: { type: 'string', maxLength: 500 },
                },
                required: ['kind', 'from', 'to', 'reason'],
                additionalProperties: false,
              },
            },
            extensions: {
              type: 'array',
              maxItems: 20,
              items: {
                type: 'object',
                properties: {
                  amount: { type: 'integer', minimum: 1, maximum: 3650 },
                  approver: { type: 'string', maxLength: 100 },
                  reason: { type: 'string', maxLength: 500 },
                  at: instant,
                },
                required: ['amount', 'approver', 'reason', 'at'],
                additionalProperties: false,
              },
            },
            stoppedAt: { anyOf: [instant, { type: 'null' }] },
            now: instant,
          },
          required: ['unit', 'start', 'limit'],
          additionalProperties: false,
        },
        response: { ...errorResponses, 422: errorResponses[400] },
      },
    },
    async (request) => {
      const { now, ...clock } = request.body;
      const calendar = await ctx.calendar.get();
      return computeClock(calendar, clock, now ? new Date(now) : new Date());
    },
  );
}
