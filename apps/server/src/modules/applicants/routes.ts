import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '@guotu/domain';
import type { AppContext } from '../../http/context.ts';
import { errorResponses, idParams } from '../../http/schemas.ts';
import { blobRefSchema, receiveUpload, sendBlob, withUploads } from '../blobs/routes.ts';
import { openBlob, type BlobDeps } from '../blobs/service.ts';
import {
  applicantCsrfToken,
  checkApplicantCsrf,
  findApplicantPrincipal,
  loginWithCode,
  logoutApplicant,
  requestLoginCode,
  updateApplicantProfile,
  type ApplicantDeps,
  type ApplicantPrincipal,
  type ProfileInput,
} from './service.ts';

/**
 * /api/v1/public/applicant/*: declared `access: 'public'` for the staff hook; this scope's own
 * preHandler resolves the applicant cookie (separate from the staff session), requires it unless
 * the route says `applicantOpen`, and checks the applicant CSRF token on state changes.
 */
export const APPLICANT_COOKIE = 'guotu_applicant';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const PREFIX = '/api/v1/public/applicant';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** the route works without an applicant session (code, login) */
    applicantOpen?: boolean;
  }
  interface FastifyRequest {
    applicant: ApplicantPrincipal | null;
  }
}

const applicantSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    phone: { type: 'string' },
    kind: { type: ['string', 'null'], enum: ['enterprise', 'government', 'citizen', null] },
    name: { type: ['string', 'null'] },
    creditCode: { type: ['string', 'null'] },
    idNumber: { type: ['string', 'null'] },
    contactName: { type: ['string', 'null'] },
    email: { type: ['string', 'null'] },
    profileComplete: { type: 'boolean' },
  },
  required: ['id', 'phone', 'kind', 'name', 'creditCode', 'idNumber', 'contactName', 'email', 'profileComplete'],
} as const;
const sessionSchema = {
  type: 'object',
  properties: { applicant: applicantSchema, csrfToken: { type: 'string' } },
  required: ['applicant', 'csrfToken'],
} as const;
const phoneSchema = { type: 'string', pattern: '^1[3-9][0-9]{9}$' } as const;
const tags = ['applicants'];

function requireApplicant(request: FastifyRequest): ApplicantPrincipal {
  if (!request.applicant) throw new AppError('UNAUTHENTICATED', 'sign in with your phone number first');
  return request.applicant;
}

/**
 * Registers routes of the applicant's side in a scope with the applicant session hook: the
 * cookie resolved to `request.applicant`, required unless the route says `applicantOpen`, and the
 * applicant CSRF token checked on state changes. Multipart uploads are enabled in the scope.
 */
export function applicantScoped(
  app: FastifyInstance,
  ctx: AppContext,
  register: (scope: FastifyInstance) => void,
): void {
  const deps = { db: ctx.database.db, sessionSecret: ctx.config.sessionSecret, now: () => new Date() };
  void app.register(async (scope) => {
    await withUploads(scope, ctx);
    scope.addHook('preHandler', async (request) => {
      const raw = request.cookies[APPLICANT_COOKIE];
      const unsigned = raw ? request.unsignCookie(raw) : null;
      if (unsigned?.valid && unsigned.value)
        request.applicant = (await findApplicantPrincipal(deps, unsigned.value)) ?? null;
      if (request.routeOptions.config.applicantOpen) return;
      const principal = requireApplicant(request);
      if (!SAFE.has(request.method)) {
        const header = request.headers['x-csrf-token'];
        if (!checkApplicantCsrf(deps, principal.tokenHash, Array.isArray(header) ? header[0] : header))
          throw new AppError('CSRF_REJECTED', 'missing or wrong x-csrf-token header');
      }
    });
    register(scope);
  });
}

/** The applicant principal of a request in an applicant scope (UNAUTHENTICATED without one). */
export function applicantOf(request: FastifyRequest): ApplicantPrincipal {
  return requireApplicant(request);
}

export function applicantRoutes(app: FastifyInstance, ctx: AppContext): void {
  const deps: ApplicantDeps = {
    db: ctx.database.db,
    sessionSecret: ctx.config.sessionSecret,
    sessionTtlHours: ctx.config.sessionTtlHours,
    now: () => new Date(),
    notify: ctx,
  };
  const blobDeps: BlobDeps = { db: ctx.database.db, dataDir: ctx.config.dataDir, maxBytes: ctx.config.blobMaxBytes };
  const present = (principal: ApplicantPrincipal) => ({
    applicant: principal.applicant,
    csrfToken: applicantCsrfToken(deps, principal.tokenHash),
  });
  const setCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(APPLICANT_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: ctx.config.secureCookies,
      signed: true,
      maxAge: ctx.config.sessionTtlHours * 3600,
    });

  app.decorateRequest('applicant', null);
  applicantScoped(app, ctx, (scope) => {
    scope.post<{ Body: { phone: string } }>(
      `${PREFIX}/code`,
      {
        config: { access: 'public', applicantOpen: true, rateLimit: { max: 10, timeWindow: '1 minute' } },
        schema: {
          summary:
            'Send a 6-digit login code by SMS (valid 5 minutes, 5 tries). The same answer for every number; limited per phone and per IP',
          tags,
          body: {
            type: 'object',
            properties: { phone: phoneSchema },
            required: ['phone'],
            additionalProperties: false,
          },
          response: {
            200: {
              type: 'object',
              properties: { expiresInSeconds: { type: 'integer' }, resendAfterSeconds: { type: 'integer' } },
              required: ['expiresInSeconds', 'resendAfterSeconds'],
            },
            ...errorResponses,
            429: errorResponses[400],
          },
        },
      },
      async (request) => requestLoginCode(deps, { phone: request.body.phone, ip: request.ip, requestId: request.id }),
    );

    scope.post<{ Body: { phone: string; code: string } }>(
      `${PREFIX}/login`,
      {
        config: { access: 'public', applicantOpen: true, rateLimit: { max: 20, timeWindow: '1 minute' } },
        schema: {
          summary:
            'Sign in with phone + code (the first sign-in creates the account); sets the applicant session cookie',
          tags,
          body: {
            type: 'object',
            properties: { phone: phoneSchema, code: { type: 'string', pattern: '^[0-9]{6}$' } },
            required: ['phone', 'code'],
            additionalProperties: false,
          },
          response: { 200: sessionSchema, ...errorResponses, 429: errorResponses[400] },
        },
      },
      async (request, reply) => {
        const { token, principal } = await loginWithCode(deps, {
          phone: request.body.phone,
          code: request.body.code,
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
          requestId: request.id,
        });
        setCookie(reply, token);
        return present(principal);
      },
    );

    scope.get(
      `${PREFIX}/me`,
      {
        config: { access: 'public' },
        schema: {
          summary: 'The signed-in applicant and the CSRF token for their state changes',
          tags,
          response: { 200: sessionSchema, ...errorResponses },
        },
      },
      async (request) => present(requireApplicant(request)),
    );

    scope.put<{ Body: ProfileInput }>(
      `${PREFIX}/me`,
      {
        config: { access: 'public' },
        schema: {
          summary:
            'Set my profile: kind, name, unified social credit code (GB 32100-2015) or ID number (GB 11643-1999), contact',
          tags,
          body: {
            type: 'object',
            properties: {
              kind: { type: 'string', enum: ['enterprise', 'government', 'citizen'] },
              name: { type: 'string', minLength: 1, maxLength: 200 },
              creditCode: { type: ['string', 'null'], maxLength: 18 },
              idNumber: { type: ['string', 'null'], maxLength: 18 },
              contactName: { type: ['string', 'null'], maxLength: 100 },
              email: { type: ['string', 'null'], maxLength: 200 },
            },
            required: ['kind', 'name'],
            additionalProperties: false,
          },
          response: { 200: applicantSchema, ...errorResponses },
        },
      },
      async (request) => updateApplicantProfile(deps, requireApplicant(request), request.body, request.id),
    );

    scope.post(
      `${PREFIX}/logout`,
      {
        config: { access: 'public' },
        schema: { summary: 'End the applicant session', tags, response: { 204: { type: 'null' }, ...errorResponses } },
      },
      async (request, reply) => {
        await logoutApplicant(deps, requireApplicant(request), request.id);
        void reply.clearCookie(APPLICANT_COOKIE, { path: '/' });
        return reply.status(204).send();
      },
    );

    scope.post(
      `${PREFIX}/blobs`,
      {
        config: { access: 'public' },
        bodyLimit: ctx.config.blobMaxBytes + 64 * 1024,
        schema: {
          summary:
            'Upload an attachment as the signed-in applicant (multipart field "file"; type by content, size limited)',
          tags,
          response: { 201: blobRefSchema, ...errorResponses },
        },
      },
      async (request, reply) =>
        reply.status(201).send(
          await receiveUpload(request, blobDeps, {
            kind: 'applicant',
            applicantId: requireApplicant(request).applicant.id,
            requestId: request.id,
          }),
        ),
    );

    scope.get<{ Params: { id: number } }>(
      `${PREFIX}/blobs/:id`,
      {
        config: { access: 'public' },
        schema: {
          summary: 'Download one of my attachments',
          tags,
          params: idParams,
          response: { 404: errorResponses[404] },
        },
      },
      async (request, reply) =>
        sendBlob(
          reply,
          await openBlob(
            blobDeps,
            { kind: 'applicant', applicantId: requireApplicant(request).applicant.id, requestId: request.id },
            request.params.id,
          ),
        ),
    );
  });
}
