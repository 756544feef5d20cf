import type { FastifyInstance } from 'fastify';
import { requireActor, type AppContext } from '../../http/context.ts';
import { errorResponses } from '../../http/schemas.ts';
import type { SupervisionLevel } from './service.ts';
import { supervisionAlerts, supervisionClocks, supervisionOverview } from './service.ts';
import { supervisionOrderRoutes } from './orders-routes.ts';
import { bulletinRoutes } from './bulletin-routes.ts';
import { anomalyRules, listAnomalies, type AnomalyRule } from './anomalies-service.ts';

const levels = ['normal', 'warning', 'overdue', 'paused', 'calendarNotCovered'];

export function supervisionRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.database.db;
  supervisionOrderRoutes(app, ctx);
  bulletinRoutes(app, ctx);
  app.get(
    '/api/v1/supervision/overview',
    {
      config: { access: 'supervision.read' },
      schema: {
        summary: 'Open clocks by state now: normal, warning (yellow), overdue (red), paused',
        tags: ['supervision'],
        response: errorResponses,
      },
    },
    async (request) => supervisionOverview(db, requireActor(request.actor), new Date()),
  );

  app.get<{ Querystring: { level?: SupervisionLevel; orgId?: number; limit?: number; offset?: number } }>(
    '/api/v1/supervision/clocks',
    {
      config: { access: 'supervision.read' },
      schema: {
        summary: 'Open clocks with their state, soonest deadline first; drill down by state and org (subtree)',
        tags: ['supervision'],
        querystring: {
          type: 'object',
          properties: {
            level: { type: 'string', enum: levels },
            orgId: { type: 'integer', minimum: 1 },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
            offset: { type: 'integer', minimum: 0, default: 0 },
          },
          additionalProperties: false,
        },
        response: errorResponses,
      },
    },
    async (request) =>
      supervisionClocks(db, requireActor(request.actor), new Date(), {
        limit: request.query.limit ?? 100,
        offset: request.query.offset ?? 0,
        ...(request.query.level ? { level: request.query.level } : {}),
        ...(request.query.orgId !== undefined ? { orgId: request.query.orgId } : {}),
      }),
  );

  app.get<{ Querystring: { open?: boolean; limit?: number } }>(
    '/api/v1/supervision/alerts',
    {
      config: { access: 'supervision.read' },
      schema: {
        summary: 'Yellow and red cards raised, newest first',
        tags: ['supervision'],
        querystring: {
          type: 'object',
          properties: { open: { type: 'boolean' }, limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 } },
          additionalProperties: false,
        },
        response: errorResponses,
      },
    },
    async (request) =>
      supervisionAlerts(db, requireActor(request.actor), {
        limit: request.query.limit ?? 100,
        ...(request.query.open !== undefined ? { open: request.query.open } : {}),
      }),
  );

  app.get<{ Querystring: { rule?: AnomalyRule; minReturns?: number; toleranceMinutes?: number; limit?: number } }>(
    '/api/v1/supervision/anomalies',
    {
      config: { access: 'supervision.read' },
      schema: {
        summary:
          "Anomalies beyond time (refusal without reasons, repeated returns, steps out of order, back-dated cases, acting on one's own application, fees outside the matter's rules), with the rule that fired",
        tags: ['supervision'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            rule: { type: 'string', enum: [...anomalyRules] },
            minReturns: { type: 'integer', minimum: 1, maximum: 100, default: 3 },
            toleranceMinutes: { type: 'integer', minimum: 0, maximum: 100000, default: 60 },
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 200 },
          },
        },
        response: errorResponses,
      },
    },
    async (request) => {
      const q = request.query;
      return listAnomalies(db, requireActor(request.actor), {
        limit: q.limit ?? 200,
        ...(q.rule ? { rule: q.rule } : {}),
        ...(q.minReturns ? { minReturns: q.minReturns } : {}),
        ...(q.toleranceMinutes !== undefined ? { toleranceMinutes: q.toleranceMinutes } : {}),
      });
    },
  );
}
