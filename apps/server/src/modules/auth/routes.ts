import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ChangePasswordRequest, LoginRequest, SessionResponse } from '@guotu/contracts';
import { AppError } from '@guotu/domain';
import { SESSION_COOKIE } from '../../http/auth.ts';
import { requireActor, type AppContext } from '../../http/context.ts';
import { errorResponses, sessionUserSchema } from '../../http/schemas.ts';
import { changePassword, csrfTokenFor, findPrincipal, login, logout, type Principal } from './service.ts';

const sessionResponse = {
  type: 'object',
  properties: { user: sessionUserSchema, csrfToken: { type: 'string' } },
  required: ['user', 'csrfToken'],
} as const;

function present(ctx: AppContext, principal: Principal): SessionResponse {
  return { user: principal.user, csrfToken: csrfTokenFor(ctx.auth, principal.tokenHash) };
}

function setSessionCookie(ctx: AppContext, reply: FastifyReply, token: string): void {
  void reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.config.secureCookies,
    signed: true,
    maxAge: ctx.config.sessionTtlHours * 3600,
  });
}

export function authRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post<{ Body: LoginRequest }>(
    '/api/v1/auth/login',
    {
      config: { access: 'public', rateLimit: { max: ctx.config.loginRateLimitPerMinute, timeWindow: '1 minute' } },
      schema: {
        summary: 'Staff login with username and password; sets the session cookie',
        tags: ['auth'],
        body: {
          type: 'object',
          properties: {
            username: { type: 'string', minLength: 1, maxLength: 64 },
            password: { type: 'string', minLength: 1, maxLength: 128 },
          },
          required: ['username', 'password'],
          additionalProperties: false,
        },
        response: { 200: sessionResponse, ...errorResponses, 423: errorResponses[401], 429: errorResponses[401] },
      },
    },
    async (request, reply) => {
      const { token, principal } = await login(ctx.auth, {
        username: request.body.username,
        password: request.body.password,
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        requestId: request.id,
      });
      setSessionCookie(ctx, reply, token);
      return present(ctx, principal);
    },
  );

  app.get(
    '/api/v1/auth/session',
    {
      config: { access: 'staff' },
      schema: {
        summary: 'The signed-in user, their abilities and the CSRF token',
        tags: ['auth'],
        response: { 200: sessionResponse, ...errorResponses },
      },
    },
    async (request) => {
      const raw = request.cookies[SESSION_COOKIE];
      const token = raw ? request.unsignCookie(raw).value : null;
      const principal = token ? await findPrincipal(ctx.auth, token) : undefined;
      if (!principal) throw new AppError('UNAUTHENTICATED', 'sign in first');
      return present(ctx, principal);
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      config: { access: 'staff' },
      schema: { summary: 'End this session', tags: ['auth'], response: { 204: { type: 'null' }, ...errorResponses } },
    },
    async (request, reply) => {
      await logout(ctx.auth, requireActor(request.actor), request.sessionTokenHash ?? '');
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );

  app.post<{ Body: ChangePasswordRequest }>(
    '/api/v1/auth/password',
    {
      config: { access: 'staff' },
      schema: {
        summary: 'Change my password (ends my other sessions)',
        tags: ['auth'],
        body: {
          type: 'object',
          properties: {
            currentPassword: { type: 'string', minLength: 1, maxLength: 128 },
            newPassword: { type: 'string', minLength: 1, maxLength: 128 },
          },
          required: ['currentPassword', 'newPassword'],
          additionalProperties: false,
        },
        response: { 204: { type: 'null' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      await changePassword(ctx.auth, requireActor(request.actor), {
        ...request.body,
        tokenHash: request.sessionTokenHash ?? '',
      });
      return reply.status(204).send();
    },
  );
}
