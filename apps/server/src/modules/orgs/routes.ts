import type { FastifyInstance } from 'fastify';
import type { CreateOrgRequest } from '@guotu/contracts';
import { requireActor, type AppContext } from '../../http/context.ts';
import { errorResponses, idParams, orgKindSchema, orgUnitSchema } from '../../http/schemas.ts';
import { createOrg, getOrg, listOrgs } from './service.ts';

export function orgRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.database.db;
  app.get(
    '/api/v1/orgs',
    {
      config: { access: 'org.read' },
      schema: {
        summary: 'Org units in my scope (my unit and everything under it), parents first',
        tags: ['org'],
        response: { 200: { type: 'array', items: orgUnitSchema }, ...errorResponses },
      },
    },
    async (request) => listOrgs(db, requireActor(request.actor)),
  );

  app.get<{ Params: { id: number } }>(
    '/api/v1/orgs/:id',
    {
      config: { access: 'org.read' },
      schema: {
        summary: 'One org unit in my scope',
        tags: ['org'],
        params: idParams,
        response: { 200: orgUnitSchema, ...errorResponses },
      },
    },
    async (request) => getOrg(db, requireActor(request.actor), request.params.id),
  );

  app.post<{ Body: CreateOrgRequest }>(
    '/api/v1/orgs',
    {
      config: { access: 'org.manage' },
      schema: {
        summary: 'Create an org unit under a unit in my scope',
        tags: ['org'],
        body: {
          type: 'object',
          properties: {
            parentId: { type: 'integer', minimum: 1 },
            kind: orgKindSchema,
            name: { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' },
            divisionCode: { type: 'string', pattern: '^[0-9]{6}$' },
          },
          required: ['parentId', 'kind', 'name'],
          additionalProperties: false,
        },
        response: { 201: orgUnitSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const org = await createOrg(db, requireActor(request.actor), request.body);
      return reply.status(201).send(org);
    },
  );
}
