import type { FastifyInstance } from 'fastify';
import { requireActor, type AppContext } from '../../http/context.ts';
import { errorResponses } from '../../http/schemas.ts';
import { pullFeed } from './service.ts';

export function feedRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Querystring: { after?: string; limit?: number } }>(
    '/api/v1/feed',
    {
      config: { access: 'supervision.read' },
      schema: {
        summary:
          'Case events for the provincial supervision system after a cursor, oldest first (docs/supervision.md § Feed)',
        tags: ['supervision'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            after: { type: 'string', pattern: '^[0-9]{1,18}$', default: '0' },
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
          },
        },
        response: errorResponses,
      },
    },
    async (request) =>
      pullFeed(ctx.database.db, requireActor(request.actor), {
        after: request.query.after ?? '0',
        limit: request.query.limit ?? 100,
      }),
  );
}
