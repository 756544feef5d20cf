import type { FastifyInstance } from 'fastify';
import { requireActor, type AppContext } from '../../http/context.ts';
import { errorResponses } from '../../http/schemas.ts';
import {
  closeOrder,
  getOrder,
  issueOrder,
  listOrders,
  listTargetOrgs,
  replyToOrder,
  sendBackOrder,
  type OrderKind,
  type OrderStatus,
} from './orders-service.ts';

const kinds = ['supervisionOrder', 'explanation', 'rectification'];
const statuses = ['issued', 'replied', 'closed'];
const idParams = {
  type: 'object',
  properties: { id: { type: 'string', pattern: '^[0-9]{1,18}$' } },
  required: ['id'],
} as const;
const version = { type: 'integer', minimum: 1 } as const;

/** 督办单 / 说明原因 / 限期整改: issue → reply → close or send back (docs/supervision.md). */
export function supervisionOrderRoutes(app: FastifyInstance, ctx: AppContext): void {
  const deps = { db: ctx.database.db, jobs: ctx.jobs, config: ctx.config };
  const when = async () => ({ calendar: await ctx.calendar.get(), now: new Date() });

  app.post<{
    Body: {
      kind: OrderKind;
      orgId: number;
      reason: string;
      replyWorkingDays: number;
      caseNumber?: string;
      subjectType?: string;
      subjectId?: string;
    };
  }>(
    '/api/v1/supervision/orders',
    {
      config: { access: 'supervision.act' },
      schema: {
        summary:
          'Issue a supervision order (督办单), explanation request (说明原因) or rectification (限期整改) to an office, on a working-day reply clock',
        tags: ['supervision'],
        body: {
          type: 'object',
          required: ['kind', 'orgId', 'reason', 'replyWorkingDays'],
          additionalProperties: false,
          properties: {
            kind: { type: 'string', enum: kinds },
            orgId: { type: 'integer', minimum: 1 },
            reason: { type: 'string', minLength: 1, maxLength: 2000 },
            replyWorkingDays: { type: 'integer', minimum: 1, maximum: 60 },
            caseNumber: { type: 'string', maxLength: 100 },
            subjectType: { type: 'string', maxLength: 50 },
            subjectId: { type: 'string', maxLength: 100 },
          },
        },
        response: errorResponses,
      },
    },
    async (request, reply) => {
      const order = await issueOrder(deps, requireActor(request.actor), request.body, await when());
      return reply.code(201).send(order);
    },
  );

  app.get<{ Querystring: { status?: OrderStatus; kind?: OrderKind; orgId?: number; limit?: number; offset?: number } }>(
    '/api/v1/supervision/orders',
    {
      config: { access: 'supervision.read' },
      schema: {
        summary: 'Supervision orders, newest first (an office head sees those of their office)',
        tags: ['supervision'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: { type: 'string', enum: statuses },
            kind: { type: 'string', enum: kinds },
            orgId: { type: 'integer' },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
            offset: { type: 'integer', minimum: 0, default: 0 },
          },
        },
        response: errorResponses,
      },
    },
    async (request) => {
      const q = request.query;
      return listOrders(ctx.database.db, requireActor(request.actor), {
        limit: q.limit ?? 100,
        offset: q.offset ?? 0,
        ...(q.status ? { status: q.status } : {}),
        ...(q.kind ? { kind: q.kind } : {}),
        ...(q.orgId !== undefined ? { orgId: q.orgId } : {}),
      });
    },
  );

  app.get(
    '/api/v1/supervision/order-targets',
    {
      config: { access: 'supervision.act' },
      schema: {
        summary: "Every org an order may be issued to (the whole province, beyond the issuer's own scope)",
        tags: ['supervision'],
        response: errorResponses,
      },
    },
    async (request) => listTargetOrgs(ctx.database.db, requireActor(request.actor)),
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/supervision/orders/:id',
    {
      config: { access: 'supervision.read' },
      schema: {
        summary: 'One supervision order with its history and what the caller may do',
        tags: ['supervision'],
        params: idParams,
        response: errorResponses,
      },
    },
    async (request) => getOrder(ctx.database.db, requireActor(request.actor), request.params.id),
  );

  app.post<{ Params: { id: string }; Body: { reply: string; version?: number } }>(
    '/api/v1/supervision/orders/:id/reply',
    {
      config: { access: 'supervision.read' },
      schema: {
        summary: 'The office head of the target office replies / explains / reports the rectification',
        tags: ['supervision'],
        params: idParams,
        body: {
          type: 'object',
          required: ['reply'],
          additionalProperties: false,
          properties: { reply: { type: 'string', minLength: 1, maxLength: 5000 }, version },
        },
        response: errorResponses,
      },
    },
    async (request) => replyToOrder(deps, requireActor(request.actor), request.params.id, request.body, await when()),
  );

  app.post<{ Params: { id: string }; Body: { note?: string; version?: number } }>(
    '/api/v1/supervision/orders/:id/close',
    {
      config: { access: 'supervision.act' },
      schema: {
        summary: 'The supervision office accepts the reply and closes the order',
        tags: ['supervision'],
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { note: { type: 'string', maxLength: 2000 }, version },
        },
        response: errorResponses,
      },
    },
    async (request) =>
      closeOrder(deps, requireActor(request.actor), request.params.id, request.body ?? {}, await when()),
  );

  app.post<{ Params: { id: string }; Body: { note: string; version?: number } }>(
    '/api/v1/supervision/orders/:id/send-back',
    {
      config: { access: 'supervision.act' },
      schema: {
        summary: 'The supervision office does not accept the reply: back to the office with a new reply clock',
        tags: ['supervision'],
        params: idParams,
        body: {
          type: 'object',
          required: ['note'],
          additionalProperties: false,
          properties: { note: { type: 'string', minLength: 1, maxLength: 2000 }, version },
        },
        response: errorResponses,
      },
    },
    async (request) => sendBackOrder(deps, requireActor(request.actor), request.params.id, request.body, await when()),
  );
}
