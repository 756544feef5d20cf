import type { FastifyInstance } from 'fastify';
import { requireActor, type AppContext } from '../../http/context.ts';
import { errorResponses } from '../../http/schemas.ts';
import { getVerification } from './service.ts';

export function auditRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/v1/audit/verification',
    {
      config: { access: 'audit.read' },
      schema: {
        summary:
          'Walk the SM3 audit chain and check the SM2-signed checkpoints now; names any edited, deleted or inserted record',
        tags: ['audit'],
        response: errorResponses,
      },
    },
    async (request) =>
      getVerification(ctx.database.db, requireActor(request.actor), ctx.config.auditSigningKey.publicKey),
  );
}
