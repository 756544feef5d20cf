import type { FastifyInstance } from 'fastify';
import type { CreateUserRequest, RoleInfo, UpdateUserRequest } from '@guotu/contracts';
import { roleKeys, rolePermissions } from '@guotu/domain';
import { requireActor, type AppContext } from '../../http/context.ts';
import { errorResponses, idParams, roleKeySchema, userSchema } from '../../http/schemas.ts';
import { createUser, getUser, listUsers, updateUser } from './service.ts';

const username = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$' } as const;
const displayName = { type: 'string', minLength: 1, maxLength: 64, pattern: '\\S' } as const;
const phone = { type: 'string', pattern: '^\\+?[0-9]{6,15}$' } as const;
const email = { type: 'string', format: 'email', maxLength: 254 } as const;

export function userRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.database.db;
  app.get<{ Querystring: { orgId?: number; q?: string; limit?: number; offset?: number } }>(
    '/api/v1/users',
    {
      config: { access: 'user.read' },
      schema: {
        summary: 'Users in my scope, filtered by org unit and a search term',
        tags: ['user'],
        querystring: {
          type: 'object',
          properties: {
            orgId: { type: 'integer', minimum: 1 },
            q: { type: 'string', maxLength: 64 },
            limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
            offset: { type: 'integer', minimum: 0, default: 0 },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: { items: { type: 'array', items: userSchema }, total: { type: 'integer' } },
            required: ['items', 'total'],
          },
          ...errorResponses,
        },
      },
    },
    async (request) => listUsers(db, requireActor(request.actor), request.query),
  );

  app.get<{ Params: { id: number } }>(
    '/api/v1/users/:id',
    {
      config: { access: 'user.read' },
      schema: {
        summary: 'One user in my scope',
        tags: ['user'],
        params: idParams,
        response: { 200: userSchema, ...errorResponses },
      },
    },
    async (request) => getUser(db, requireActor(request.actor), request.params.id),
  );

  app.post<{ Body: CreateUserRequest }>(
    '/api/v1/users',
    {
      config: { access: 'user.manage' },
      schema: {
        summary: 'Create a staff user in an org unit of my scope, with roles',
        tags: ['user'],
        body: {
          type: 'object',
          properties: {
            username,
            displayName,
            password: { type: 'string', minLength: 1, maxLength: 128 },
            orgId: { type: 'integer', minimum: 1 },
            roles: { type: 'array', items: roleKeySchema, minItems: 1, maxItems: 8 },
            phone,
            email,
          },
          required: ['username', 'displayName', 'password', 'orgId', 'roles'],
          additionalProperties: false,
        },
        response: { 201: userSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await createUser(db, requireActor(request.actor), request.body)),
  );

  app.patch<{ Params: { id: number }; Body: UpdateUserRequest }>(
    '/api/v1/users/:id',
    {
      config: { access: 'user.manage' },
      schema: {
        summary: 'Change a user: name, org unit, roles, contact, disabled',
        tags: ['user'],
        params: idParams,
        body: {
          type: 'object',
          properties: {
            displayName,
            orgId: { type: 'integer', minimum: 1 },
            roles: { type: 'array', items: roleKeySchema, maxItems: 8 },
            disabled: { type: 'boolean' },
            phone: { anyOf: [phone, { type: 'null' }] },
            email: { anyOf: [email, { type: 'null' }] },
          },
          additionalProperties: false,
          minProperties: 1,
        },
        response: { 200: userSchema, ...errorResponses },
      },
    },
    async (request) => updateUser(db, requireActor(request.actor), request.params.id, request.body),
  );

  app.get(
    '/api/v1/roles',
    {
      config: { access: 'staff' },
      schema: {
        summary: 'Built-in roles and their permissions',
        tags: ['user'],
        response: {
          200: {
            type: 'array',
            items: {
              type: 'object',
              properties: { key: roleKeySchema, permissions: { type: 'array', items: { type: 'string' } } },
              required: ['key', 'permissions'],
            },
          },
        },
      },
    },
    async (): Promise<RoleInfo[]> => roleKeys.map((key) => ({ key, permissions: [...rolePermissions[key]] })),
  );
}
