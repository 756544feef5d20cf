import type { FastifyInstance } from 'fastify';
import { requireActor, type AppContext } from '../../http/context.ts';
import { errorResponses } from '../../http/schemas.ts';
import { publicMatter, publicMatterList } from './public-service.ts';
import {
  discardDraft,
  exportMatters,
  getMatterAdmin,
  getMatterVersion,
  importMatters,
  listMattersAdmin,
  MATTER_EDIT_PERMISSION,
  publishMatter,
  saveDraft,
} from './service.ts';
import { matterCategories, matterLevels } from './spec.ts';

const codeParams = {
  type: 'object',
  properties: { code: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9._-]{1,63}$' } },
  required: ['code'],
  additionalProperties: false,
} as const;
const tags = ['matters'];

export function matterRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.database.db;

  // ── public: service guides (办事指南) ──
  app.get<{ Querystring: { category?: string; level?: string; q?: string } }>(
    '/api/v1/public/matters',
    {
      config: { access: 'public', rateLimit: { max: 600, timeWindow: '1 minute' } },
      schema: {
        summary:
          'Published service guides (newest version of each matter), filtered by category, level or a search text',
        tags,
        querystring: {
          type: 'object',
          properties: {
            category: { type: 'string', enum: [...matterCategories] },
            level: { type: 'string', enum: [...matterLevels] },
            q: { type: 'string', maxLength: 100 },
          },
          additionalProperties: false,
        },
      },
    },
    async (request) => publicMatterList(db, request.query),
  );

  app.get<{ Params: { code: string } }>(
    '/api/v1/public/matters/:code',
    {
      config: { access: 'public', rateLimit: { max: 600, timeWindow: '1 minute' } },
      schema: {
        summary:
          'One service guide: basis, conditions, materials, limits with their legal source, fees, supervision contact, and the process BPMN XML when deployed',
        tags,
        params: codeParams,
        response: { 404: errorResponses[404] },
      },
    },
    async (request) => publicMatter(db, request.params.code),
  );

  // ── staff: the catalog ──
  app.get(
    '/api/v1/matters',
    {
      config: { access: 'staff' },
      schema: { summary: 'Every matter with its newest published version and its draft, if any', tags },
    },
    async (request) => listMattersAdmin(db, requireActor(request.actor)),
  );

  app.get<{ Querystring: { codes?: string; draft?: boolean } }>(
    '/api/v1/matters/export',
    {
      config: { access: MATTER_EDIT_PERMISSION },
      schema: {
        summary:
          'Export matters as YAML (the newest published versions, or drafts with draft=true); the file imports back unchanged',
        tags,
        querystring: {
          type: 'object',
          properties: { codes: { type: 'string', maxLength: 2000 }, draft: { type: 'boolean' } },
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const codes = request.query.codes
        ? request.query.codes
            .split(',')
            .map((c) => c.trim())
            .filter(Boolean)
        : [];
      const yaml = await exportMatters(db, requireActor(request.actor), { codes, draft: request.query.draft ?? false });
      return reply
        .header('content-type', 'application/yaml; charset=utf-8')
        .header('content-disposition', 'attachment; filename="matters.yaml"')
        .send(yaml);
    },
  );

  app.post<{ Body: { yaml: string; publish?: boolean } }>(
    '/api/v1/matters/import',
    {
      config: { access: MATTER_EDIT_PERMISSION },
      schema: {
        summary:
          'Import a matter YAML file: each matter becomes its draft (publish=true publishes at once); a bad file changes nothing and lists every problem with its line',
        tags,
        body: {
          type: 'object',
          properties: { yaml: { type: 'string', minLength: 1, maxLength: 1_000_000 }, publish: { type: 'boolean' } },
          required: ['yaml'],
          additionalProperties: false,
        },
        response: { ...errorResponses },
      },
    },
    async (request) => importMatters(db, requireActor(request.actor), request.body),
  );

  app.get<{ Params: { code: string } }>(
    '/api/v1/matters/:code',
    {
      config: { access: 'staff' },
      schema: {
        summary: 'One matter: its versions, the draft and the newest published version',
        tags,
        params: codeParams,
        response: { 404: errorResponses[404] },
      },
    },
    async (request) => getMatterAdmin(db, requireActor(request.actor), request.params.code),
  );

  app.get<{ Params: { code: string; version: number } }>(
    '/api/v1/matters/:code/versions/:version',
    {
      config: { access: 'staff' },
      schema: {
        summary: 'One version exactly as stored (a case refers to its matter by code and version)',
        tags,
        params: {
          type: 'object',
          properties: { ...codeParams.properties, version: { type: 'integer', minimum: 1 } },
          required: ['code', 'version'],
          additionalProperties: false,
        },
        response: { 404: errorResponses[404] },
      },
    },
    async (request) => getMatterVersion(db, request.params.code, request.params.version),
  );

  app.put<{ Params: { code: string }; Body: { spec: unknown } }>(
    '/api/v1/matters/:code/draft',
    {
      config: { access: MATTER_EDIT_PERMISSION },
      schema: {
        summary: 'Save the draft of a matter (creates it when there is none); published versions never change',
        tags,
        params: codeParams,
        body: {
          type: 'object',
          properties: { spec: { type: 'object' } },
          required: ['spec'],
          additionalProperties: false,
        },
        response: { ...errorResponses },
      },
    },
    async (request) => saveDraft(db, requireActor(request.actor), request.params.code, request.body.spec),
  );

  app.delete<{ Params: { code: string } }>(
    '/api/v1/matters/:code/draft',
    {
      config: { access: MATTER_EDIT_PERMISSION },
      schema: {
        summary: 'Discard the draft',
        tags,
        params: codeParams,
        response: { 204: { type: 'null' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      await discardDraft(db, requireActor(request.actor), request.params.code);
      return reply.status(204).send();
    },
  );

  app.post<{ Params: { code: string } }>(
    '/api/v1/matters/:code/publish',
    {
      config: { access: MATTER_EDIT_PERMISSION },
      schema: {
        summary: 'Publish the draft as the next immutable version (its process must be deployed)',
        tags,
        params: codeParams,
        response: { ...errorResponses },
      },
    },
    async (request) => publishMatter(db, requireActor(request.actor), request.params.code),
  );
}
