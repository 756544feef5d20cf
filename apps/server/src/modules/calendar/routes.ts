import type { FastifyInstance } from 'fastify';
import { requireActor, type AppContext } from '../../http/context.ts';
import { errorResponses } from '../../http/schemas.ts';
import {
  changeRegionalRestDay,
  getCalendarYear,
  importCalendarYear,
  listCoveredYears,
  listRegionalRestDays,
  listRules,
  updateRule,
} from './service.ts';

const ruleSchema = {
  type: 'object',
  properties: {
    key: { type: 'string' },
    name: { type: 'string' },
    unit: { type: 'string', enum: ['workday', 'day', 'hour'] },
    limit: { type: 'integer' },
    extension: { type: ['integer', 'null'] },
    kind: { type: 'string', enum: ['statutoryLimit', 'promisedLimit'] },
    source: {
      type: 'object',
      properties: { law: { type: 'string' }, article: { type: 'string' } },
      required: ['law', 'article'],
    },
    notes: { type: 'string' },
  },
  required: ['key', 'name', 'unit', 'limit', 'extension', 'kind', 'source'],
} as const;

export function calendarRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.database.db;

  app.get(
    '/api/v1/calendar',
    {
      config: { access: 'calendar.read' },
      schema: { summary: 'Years the working-day calendar covers, with their notice and origin', tags: ['calendar'] },
    },
    async () => listCoveredYears(db),
  );

  app.get<{ Params: { year: number } }>(
    '/api/v1/calendar/:year',
    {
      config: { access: 'calendar.read' },
      schema: {
        summary: 'Every day of a year: working or not, and why (weekend, the holiday, a makeup workday)',
        tags: ['calendar'],
        params: {
          type: 'object',
          properties: { year: { type: 'integer', minimum: 1990, maximum: 2200 } },
          required: ['year'],
          additionalProperties: false,
        },
        response: { ...errorResponses, 422: errorResponses[400] },
      },
    },
    async (request) => getCalendarYear(ctx.calendar, db, requireActor(request.actor), request.params.year),
  );

  app.put<{ Params: { year: number }; Body: { text: string } }>(
    '/api/v1/calendar/:year',
    {
      config: { access: 'calendar.manage' },
      schema: {
        summary:
          "Import a year's State Council holiday notice (JSON or the text form); open clocks are recomputed in the same transaction",
        tags: ['calendar'],
        params: {
          type: 'object',
          properties: { year: { type: 'integer', minimum: 1990, maximum: 2200 } },
          required: ['year'],
          additionalProperties: false,
        },
        body: {
          type: 'object',
          properties: { text: { type: 'string', minLength: 1, maxLength: 200_000 } },
          required: ['text'],
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              year: { type: 'integer' },
              recomputedClocks: { type: 'integer' },
              changedClocks: { type: 'integer' },
            },
            required: ['year', 'recomputedClocks', 'changedClocks'],
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      return importCalendarYear(ctx.calendar, db, requireActor(request.actor), {
        text: request.body.text,
        expectedYear: request.params.year,
      });
    },
  );

  app.get(
    '/api/v1/calendar/regional-rest-days',
    {
      config: { access: 'calendar.read' },
      schema: {
        summary: 'Regional rest days layered on the national calendar',
        tags: ['calendar'],
        response: errorResponses,
      },
    },
    async (request) => listRegionalRestDays(db, requireActor(request.actor)),
  );

  const restDayBody = {
    type: 'object',
    properties: {
      date: { type: 'string', format: 'date' },
      name: { type: 'string', minLength: 1, maxLength: 100 },
      region: { type: ['string', 'null'], maxLength: 100 },
    },
    additionalProperties: false,
  } as const;

  app.post<{ Body: { date: string; name: string; region?: string | null } }>(
    '/api/v1/calendar/regional-rest-days',
    {
      config: { access: 'calendar.manage' },
      schema: {
        summary: 'Add a regional rest day (open clocks are recomputed in the same transaction)',
        tags: ['calendar'],
        body: { ...restDayBody, required: ['date', 'name'] },
        response: errorResponses,
      },
    },
    async (request) =>
      changeRegionalRestDay(ctx.calendar, db, requireActor(request.actor), { op: 'add', ...request.body }),
  );

  app.delete<{ Querystring: { date: string; region?: string } }>(
    '/api/v1/calendar/regional-rest-days',
    {
      config: { access: 'calendar.manage' },
      schema: {
        summary: 'Remove a regional rest day (open clocks are recomputed in the same transaction)',
        tags: ['calendar'],
        querystring: {
          type: 'object',
          properties: { date: { type: 'string', format: 'date' }, region: { type: 'string', maxLength: 100 } },
          required: ['date'],
          additionalProperties: false,
        },
        response: errorResponses,
      },
    },
    async (request) =>
      changeRegionalRestDay(ctx.calendar, db, requireActor(request.actor), {
        op: 'remove',
        date: request.query.date,
        region: request.query.region ?? null,
      }),
  );

  app.get(
    '/api/v1/time-limit-rules',
    {
      config: { access: 'calendar.read' },
      schema: {
        summary: 'The time-limit rule table, each rule with its legal source',
        tags: ['calendar'],
        response: { 200: { type: 'array', items: ruleSchema }, ...errorResponses },
      },
    },
    async (request) => listRules(db, requireActor(request.actor)),
  );

  app.patch<{ Params: { key: string }; Body: { limit?: number; extension?: number | null; notes?: string | null } }>(
    '/api/v1/time-limit-rules/:key',
    {
      config: { access: 'calendar.manage' },
      schema: {
        summary: 'Change a rule (new clocks use it; running clocks keep the limit they started with)',
        tags: ['calendar'],
        params: { type: 'object', properties: { key: { type: 'string', maxLength: 100 } }, required: ['key'] },
        body: {
          type: 'object',
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 3650 },
            extension: { type: ['integer', 'null'], minimum: 1, maximum: 3650 },
            notes: { type: ['string', 'null'], maxLength: 2000 },
          },
          additionalProperties: false,
          minProperties: 1,
        },
        response: { 200: ruleSchema, ...errorResponses },
      },
    },
    async (request) => updateRule(db, requireActor(request.actor), request.params.key, request.body),
  );
}
