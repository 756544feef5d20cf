import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.ts';
import { errorResponses } from '../../http/schemas.ts';
import { listDivisionChildren } from './service.ts';

export function divisionRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Querystring: { parent?: string } }>(
    '/api/v1/divisions',
    {
      // public data (the national standard's list): the portal's county picker reads it without a session
      config: { access: 'public' },
      schema: {
        summary: 'GB/T 2260 divisions: provinces, or the children of `parent` (public)',
        tags: ['org'],
        querystring: {
          type: 'object',
          properties: { parent: { type: 'string', pattern: '^[0-9]{6}$' } },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                code: { type: 'string' },
                name: { type: 'string' },
                level: { type: 'string' },
                parentCode: { type: ['string', 'null'] },
              },
              required: ['code', 'name', 'level', 'parentCode'],
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => listDivisionChildren(ctx.database.db, request.query.parent ?? null),
  );
}
