import { existsSync } from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { auditRoutes } from '../modules/audit/routes.ts';
import { authRoutes } from '../modules/auth/routes.ts';
import { supervisionRoutes } from '../modules/supervision/routes.ts';
import { feedRoutes } from '../modules/feed/routes.ts';
import { calendarRoutes } from '../modules/calendar/routes.ts';
import { clockRoutes } from '../modules/clocks/routes.ts';
import { divisionRoutes } from '../modules/divisions/routes.ts';
import { healthRoutes } from '../modules/health/routes.ts';
import { notificationRoutes } from '../modules/notifications/routes.ts';
import { orgRoutes } from '../modules/orgs/routes.ts';
import { spatialRoutes } from '../modules/spatial/routes.ts';
import { userRoutes } from '../modules/users/routes.ts';
import { workflowRoutes } from '../modules/workflow/routes.ts';
import { matterRoutes } from '../modules/matters/routes.ts';
import { blobRoutes } from '../modules/blobs/routes.ts';
import { applicantRoutes } from '../modules/applicants/routes.ts';
import { caseRoutes } from '../modules/cases/routes.ts';
import { registerAuth } from './auth.ts';
import type { AppContext } from './context.ts';
import { registerErrorHandler } from './errors.ts';

/** Feature route registrars; a new module adds one line here. */
const modules: Array<(app: FastifyInstance, ctx: AppContext) => void> = [
  healthRoutes,
  authRoutes,
  auditRoutes,
  orgRoutes,
  userRoutes,
  divisionRoutes,
  calendarRoutes,
  clockRoutes,
  supervisionRoutes,
  feedRoutes,
  workflowRoutes,
  notificationRoutes,
  spatialRoutes,
  matterRoutes,
  blobRoutes,
  applicantRoutes,
  caseRoutes,
];

export async function buildApp(ctx: AppContext, logger: Logger | false): Promise<FastifyInstance> {
  const loggerInstance: FastifyBaseLogger | undefined = logger || undefined;
  const app: FastifyInstance = Fastify({
    ...(loggerInstance ? { loggerInstance } : { logger: false }),
    trustProxy: ctx.config.trustProxy,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { removeAdditional: false, allErrors: true, coerceTypes: true, useDefaults: true } },
  });
  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  registerErrorHandler(app);
  await app.register(cookie, { secret: ctx.config.sessionSecret });
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Guotu API',
        version: '0.1.0',
        description:
          'Guotu (国土) e-government platform. Errors answer { code, message, details, requestId }; see docs/api/errors.md.',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'guotu_session' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  registerAuth(app, ctx);
  for (const register of modules) register(app, ctx);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await serveWeb(app, ctx);
  return app;
}

/** Serves the built web app with an SPA fallback; API paths never fall back to index.html. */
async function serveWeb(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const dist = ctx.config.webDist;
  const hasWeb = dist !== null && existsSync(path.join(dist, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: dist, wildcard: false, index: ['index.html'] });
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0] ?? '';
    if (hasWeb && request.method === 'GET' && !url.startsWith('/api/') && !path.extname(url))
      return reply.sendFile('index.html');
    return reply
      .status(404)
      .send({ code: 'NOT_FOUND', message: `no route ${request.method} ${url}`, details: [], requestId: request.id });
  });
}
