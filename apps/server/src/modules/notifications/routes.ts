import type { FastifyInstance } from 'fastify';
import { requireActor, type AppContext } from '../../http/context.ts';
import { errorResponses, idParams } from '../../http/schemas.ts';
import { deleteTemplate, getTemplate, listOutbox, listTemplates, putTemplate, retryOutbox } from './admin-service.ts';
import { listMine, markAllMineRead, markMineRead, type NotificationChannel } from './service.ts';
import { notificationChannels, notificationEvents } from './templates.ts';

// Admin endpoints require `user.manage` until a dedicated notification permission exists.
const ADMIN = 'user.manage' as const;
const channel = { type: 'string', enum: [...notificationChannels] } as const;
const status = { type: 'string', enum: ['queued', 'sending', 'sent', 'delivered', 'failed'] } as const;
const nullableString = { type: ['string', 'null'] } as const;

const outboxSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    event: { type: 'string' },
    channel,
    userId: { type: ['integer', 'null'] },
    address: nullableString,
    subject: nullableString,
    body: { type: 'string' },
    status,
    transport: nullableString,
    attempts: { type: 'integer' },
    lastError: nullableString,
    providerMessageId: nullableString,
    smsParts: { type: ['integer', 'null'] },
    createdAt: { type: 'string' },
    sentAt: nullableString,
    deliveredAt: nullableString,
    failedAt: nullableString,
    readAt: nullableString,
    orgId: { type: ['integer', 'null'] },
    orgName: nullableString,
  },
  required: ['id', 'event', 'channel', 'status', 'body', 'attempts', 'createdAt'],
} as const;

const templateSchema = {
  type: 'object',
  properties: {
    event: { type: 'string' },
    channel,
    subject: nullableString,
    body: { type: 'string' },
    variables: { type: 'array', items: { type: 'string' } },
    updatedAt: { type: 'string' },
    updatedBy: { type: ['integer', 'null'] },
  },
  required: ['event', 'channel', 'subject', 'body', 'variables', 'updatedAt', 'updatedBy'],
} as const;

const templateParams = {
  type: 'object',
  properties: { event: { type: 'string', enum: Object.keys(notificationEvents) }, channel },
  required: ['event', 'channel'],
  additionalProperties: false,
} as const;

type TemplateParams = { event: string; channel: NotificationChannel };
const page = {
  limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
  offset: { type: 'integer', minimum: 0, default: 0 },
} as const;

export function notificationRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.database.db;

  app.get<{ Querystring: { unread?: boolean; limit?: number; offset?: number } }>(
    '/api/v1/notifications/mine',
    {
      config: { access: 'staff' },
      schema: {
        summary: 'My in-app messages, newest first, with the unread count',
        tags: ['notification'],
        querystring: {
          type: 'object',
          properties: { unread: { type: 'boolean' }, ...page },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    id: { type: 'integer' },
                    event: { type: 'string' },
                    title: nullableString,
                    body: { type: 'string' },
                    createdAt: { type: 'string' },
                    readAt: nullableString,
                  },
                  required: ['id', 'event', 'title', 'body', 'createdAt', 'readAt'],
                },
              },
              total: { type: 'integer' },
              unread: { type: 'integer' },
            },
            required: ['items', 'total', 'unread'],
          },
          ...errorResponses,
        },
      },
    },
    async (request) => listMine(db, requireActor(request.actor), request.query),
  );

  app.post<{ Params: { id: number } }>(
    '/api/v1/notifications/mine/:id/read',
    {
      config: { access: 'staff' },
      schema: {
        summary: 'Mark one of my in-app messages read',
        tags: ['notification'],
        params: idParams,
        response: { 204: { type: 'null' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      await markMineRead(db, requireActor(request.actor), request.params.id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/notifications/mine/read-all',
    {
      config: { access: 'staff' },
      schema: {
        summary: 'Mark all my in-app messages read',
        tags: ['notification'],
        response: {
          200: { type: 'object', properties: { marked: { type: 'integer' } }, required: ['marked'] },
          ...errorResponses,
        },
      },
    },
    async (request) => markAllMineRead(db, requireActor(request.actor)),
  );

  app.get<{
    Querystring: {
      channel?: NotificationChannel;
      status?: 'queued' | 'sending' | 'sent' | 'delivered' | 'failed';
      event?: string;
      limit?: number;
      offset?: number;
    };
  }>(
    '/api/v1/notifications/outbox',
    {
      config: { access: ADMIN },
      schema: {
        summary:
          'The outbox: the SMS, email and in-app messages caused in my unit and below it, with their delivery status (admin; user.manage)',
        tags: ['notification'],
        querystring: {
          type: 'object',
          properties: { channel, status, event: { type: 'string', maxLength: 64 }, ...page },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: { items: { type: 'array', items: outboxSchema }, total: { type: 'integer' } },
            required: ['items', 'total'],
          },
          ...errorResponses,
        },
      },
    },
    async (request) => listOutbox(db, requireActor(request.actor), request.query),
  );

  app.post<{ Params: { id: number } }>(
    '/api/v1/notifications/outbox/:id/retry',
    {
      config: { access: ADMIN },
      schema: {
        summary: 'Send a failed SMS or email of my scope again (admin; user.manage; another unit’s message is 404)',
        tags: ['notification'],
        params: idParams,
        response: { 200: outboxSchema, ...errorResponses },
      },
    },
    async (request) => retryOutbox(db, requireActor(request.actor), request.params.id, ctx),
  );

  app.get(
    '/api/v1/notifications/templates',
    {
      config: { access: ADMIN },
      schema: {
        summary: 'Notification events with their variables, and every template (admin; user.manage)',
        tags: ['notification'],
        response: {
          200: {
            type: 'object',
            properties: {
              events: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    event: { type: 'string' },
                    description: { type: 'string' },
                    variables: { type: 'array', items: { type: 'string' } },
                  },
                  required: ['event', 'description', 'variables'],
                },
              },
              templates: { type: 'array', items: templateSchema },
            },
            required: ['events', 'templates'],
          },
          ...errorResponses,
        },
      },
    },
    async (request) => listTemplates(db, requireActor(request.actor)),
  );

  app.get<{ Params: TemplateParams }>(
    '/api/v1/notifications/templates/:event/:channel',
    {
      config: { access: ADMIN },
      schema: {
        summary: 'One template (admin; user.manage)',
        tags: ['notification'],
        params: templateParams,
        response: { 200: templateSchema, ...errorResponses },
      },
    },
    async (request) => getTemplate(db, requireActor(request.actor), request.params.event, request.params.channel),
  );

  app.put<{ Params: TemplateParams; Body: { subject?: string | null; body: string } }>(
    '/api/v1/notifications/templates/:event/:channel',
    {
      config: { access: ADMIN },
      schema: {
        summary:
          'Create or replace a template; {{variable}} placeholders must be variables of the event (admin; user.manage)',
        tags: ['notification'],
        params: templateParams,
        body: {
          type: 'object',
          properties: {
            subject: { anyOf: [{ type: 'string', minLength: 1, maxLength: 200 }, { type: 'null' }] },
            body: { type: 'string', minLength: 1, maxLength: 4000 },
          },
          required: ['body'],
          additionalProperties: false,
        },
        response: { 200: templateSchema, ...errorResponses },
      },
    },
    async (request) => putTemplate(db, requireActor(request.actor), { ...request.params, ...request.body }),
  );

  app.delete<{ Params: TemplateParams }>(
    '/api/v1/notifications/templates/:event/:channel',
    {
      config: { access: ADMIN },
      schema: {
        summary: 'Delete a template: that channel is then recorded as failed, not sent (admin; user.manage)',
        tags: ['notification'],
        params: templateParams,
        response: { 204: { type: 'null' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      await deleteTemplate(db, requireActor(request.actor), request.params.event, request.params.channel);
      return reply.status(204).send();
    },
  );
}
