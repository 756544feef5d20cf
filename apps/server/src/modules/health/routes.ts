import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.ts';
import { checkDatabase } from './service.ts';

export function healthRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/healthz', { schema: { summary: 'Liveness: the process answers', tags: ['health'] } }, async () => ({
    status: 'ok',
  }));
  app.get(
    '/readyz',
    { schema: { summary: 'Readiness: database reachable and not shutting down', tags: ['health'] } },
    async (_request, reply) => {
      if (!ctx.ready) return reply.status(503).send({ status: 'shutting-down' });
      const ok = await checkDatabase(ctx.database.db);
      return reply
        .status(ok ? 200 : 503)
        .send({ status: ok ? 'ready' : 'database-unavailable', database: ctx.database.engine });
    },
  );
}
