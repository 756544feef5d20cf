import type { FastifyInstance } from 'fastify';
import { requireActor, type AppContext } from '../../http/context.ts';
import { errorResponses } from '../../http/schemas.ts';
import { renderBulletinPdf } from './bulletin-pdf.ts';
import { buildBulletin, readWeights, updateWeights, type BulletinPeriodKind } from './bulletin-service.ts';
import type { EfficiencyWeights } from './scores.ts';

const bulletinQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['period'],
  properties: {
    period: { type: 'string', enum: ['week', 'month', 'quarter'] },
    // any day inside the period; default: the last complete period
    date: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' },
  },
} as const;
const weight = { type: 'number', minimum: 0, maximum: 100 } as const;

/** 通报 as JSON and PDF; efficiency score weights (docs/supervision.md). */
export function bulletinRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.database.db;
  const build = async (actor: Parameters<typeof buildBulletin>[1], q: { period: BulletinPeriodKind; date?: string }) =>
    buildBulletin(
      db,
      actor,
      { kind: q.period, ...(q.date ? { date: q.date } : {}) },
      await ctx.calendar.get(),
      new Date(),
    );

  app.get<{ Querystring: { period: BulletinPeriodKind; date?: string } }>(
    '/api/v1/supervision/bulletins',
    {
      config: { access: 'supervision.read' },
      schema: {
        summary:
          'Bulletin (通报) of a week, month or quarter: on-time rate, average working days, overdue list, cards by office, orders, efficiency scores',
        tags: ['supervision'],
        querystring: bulletinQuery,
        response: errorResponses,
      },
    },
    async (request) => build(requireActor(request.actor), request.query),
  );

  app.get<{ Querystring: { period: BulletinPeriodKind; date?: string } }>(
    '/api/v1/supervision/bulletins/pdf',
    {
      config: { access: 'supervision.read' },
      schema: {
        summary: 'The same bulletin as a PDF (A4, Chinese)',
        tags: ['supervision'],
        querystring: bulletinQuery,
        response: errorResponses,
      },
    },
    async (request, reply) => {
      const bulletin = await build(requireActor(request.actor), request.query);
      const pdf = await renderBulletinPdf(bulletin);
      const name = `bulletin-${bulletin.period.kind}-${bulletin.period.from}.pdf`;
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(pdf);
    },
  );

  app.get(
    '/api/v1/supervision/settings/efficiency-weights',
    {
      config: { access: 'supervision.read' },
      schema: {
        summary: 'Weights of the efficiency score components',
        tags: ['supervision'],
        response: errorResponses,
      },
    },
    async (request) => readWeights(db, requireActor(request.actor)),
  );

  app.put<{ Body: EfficiencyWeights }>(
    '/api/v1/supervision/settings/efficiency-weights',
    {
      config: { access: 'supervision.act' },
      schema: {
        summary: 'Change the weights of the efficiency score (audited)',
        tags: ['supervision'],
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['onTime', 'noWarning', 'speed', 'orders'],
          properties: { onTime: weight, noWarning: weight, speed: weight, orders: weight },
        },
        response: errorResponses,
      },
    },
    async (request) => updateWeights(db, requireActor(request.actor), request.body),
  );
}
