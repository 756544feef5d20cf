import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, hasPermission } from '@guotu/domain';
import { checkCsrf, findPrincipal } from '../modules/auth/service.ts';
import type { AppContext } from './context.ts';

export const SESSION_COOKIE = 'guotu_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Deny by default: every /api route must declare `config.access`. The hook resolves the
 * session cookie to an Actor, then checks the route's access and, for state changes, CSRF.
 */
export function registerAuth(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionTokenHash', null);

  app.addHook('preHandler', async (request) => {
    if (!request.url.startsWith('/api/')) return;
    const access = request.routeOptions.config.access;
    await resolveActor(request, ctx);
    if (access === 'public') return;
    if (!request.actor) throw new AppError('UNAUTHENTICATED', 'sign in first');
    if (access === undefined) throw new AppError('UNAUTHENTICATED', 'route has no access rule');
    if (!SAFE_METHODS.has(request.method)) {
      const header = request.headers['x-csrf-token'];
      const given = Array.isArray(header) ? header[0] : header;
      if (!request.sessionTokenHash || !checkCsrf(ctx.auth, request.sessionTokenHash, given)) {
        throw new AppError('CSRF_REJECTED', 'missing or wrong x-csrf-token header');
      }
    }
    if (access !== 'staff' && !hasPermission(request.actor, access)) {
      throw new AppError('FORBIDDEN', `requires permission ${access}`);
    }
  });
}

async function resolveActor(request: FastifyRequest, ctx: AppContext): Promise<void> {
  const raw = request.cookies[SESSION_COOKIE];
  if (!raw) return;
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) return;
  const principal = await findPrincipal(ctx.auth, unsigned.value);
  if (!principal) return;
  request.actor = { ...principal.actor, requestId: request.id };
  request.sessionTokenHash = principal.tokenHash;
}
