import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '@guotu/domain';
import {
  caseClockStates,
  caseStatuses,
  caseTiers,
  type AcceptCaseRequest,
  type CaseListQuery,
  type CreateCaseRequest,
  type ExpediteCaseRequest,
  type ProgressQueryRequest,
  type RecordCaseFeeRequest,
  type RefuseCaseRequest,
  type RequestSupplementRequest,
  type SubmitCaseRequest,
  type UpdateCaseRequest,
  type VoidCaseFeeRequest,
} from '@guotu/contracts';
import { requireActor, type AppContext } from '../../http/context.ts';
import { errorResponses } from '../../http/schemas.ts';
import { applicantOf, applicantScoped } from '../applicants/routes.ts';
import { acceptCase, expediteCase, refuseCase, requestSupplement } from './acceptance-service.ts';
import { archiveCase, openArchive } from './archive-service.ts';
import type { CaseDeps, CaseParty } from './context.ts';
import { verifyDocument } from './documents-service.ts';
import { recordFee, voidFee } from './fees-service.ts';
import {
  attachMaterial,
  createCase,
  importPackage,
  removeMaterial,
  submitCase,
  updateCaseDraft,
  withdrawCase,
} from './intake-service.ts';
import {
  getCaseDetail,
  listCases,
  listTrackers,
  openCaseDocument,
  openCaseFile,
  queryProgress,
} from './query-service.ts';
import { caseDepsOf } from './wiring.ts';

/**
 * /api/v1/cases (staff), /api/v1/public/applicant/cases (the applicant's own), and the public
 * progress query and document check. docs/cases.md § API. Every handler calls one service function.
 */

const tags = ['cases'];
const detailSchema = { type: 'object', additionalProperties: true } as const;
const actionResponse = {
  type: 'object',
  properties: { case: detailSchema, queryCode: { type: 'string' } },
  required: ['case'],
} as const;
const caseParams = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1 } },
  required: ['id'],
} as const;
const fileParams = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1 }, fileId: { type: 'integer', minimum: 1 } },
  required: ['id', 'fileId'],
} as const;
const docParams = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1 }, docId: { type: 'integer', minimum: 1 } },
  required: ['id', 'docId'],
} as const;
const feeParams = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1 }, feeId: { type: 'integer', minimum: 1 } },
  required: ['id', 'feeId'],
} as const;
const versionBody = {
  type: 'object',
  properties: { version: { type: 'integer', minimum: 1 } },
  required: ['version'],
  additionalProperties: false,
} as const;
const phone = { type: 'string', pattern: '^1[3-9][0-9]{9}$' } as const;
const createBody = {
  type: 'object',
  properties: {
    matterCode: { type: 'string', minLength: 1, maxLength: 64 },
    divisionCode: { type: 'string', pattern: '^[0-9]{6}$' },
    title: { type: 'string', minLength: 1, maxLength: 200 },
    form: { type: 'object', additionalProperties: true },
    applicant: {
      type: 'object',
      properties: { name: { type: 'string', minLength: 1, maxLength: 200 }, phone },
      required: ['name', 'phone'],
      additionalProperties: false,
    },
  },
  required: ['matterCode'],
  additionalProperties: false,
} as const;
const updateBody = {
  type: 'object',
  properties: {
    version: { type: 'integer', minimum: 1 },
    title: { type: 'string', minLength: 1, maxLength: 200 },
    form: { type: 'object', additionalProperties: true },
  },
  required: ['version'],
  additionalProperties: false,
} as const;
const listQuery = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: [...caseStatuses] },
    matterCode: { type: 'string', maxLength: 64 },
    orgId: { type: 'integer', minimum: 1 },
    tier: { type: 'string', enum: [...caseTiers] },
    clockState: { type: 'string', enum: [...caseClockStates] },
    expedite: { type: 'boolean' },
    q: { type: 'string', maxLength: 100 },
    limit: { type: 'integer', minimum: 1, maximum: 200 },
    offset: { type: 'integer', minimum: 0 },
  },
  additionalProperties: false,
} as const;
const listResponse = {
  type: 'object',
  properties: {
    items: { type: 'array', items: { type: 'object', additionalProperties: true } },
    total: { type: 'integer' },
  },
  required: ['items', 'total'],
} as const;
const packageResponse = {
  type: 'object',
  properties: {
    case: detailSchema,
    placed: {
      type: 'array',
      items: {
        type: 'object',
        properties: { entry: { type: 'string' }, materialKey: { type: 'string' } },
        required: ['entry', 'materialKey'],
      },
    },
    unplaced: {
      type: 'array',
      items: {
        type: 'object',
        properties: { entry: { type: 'string' }, reason: { type: 'string' } },
        required: ['entry', 'reason'],
      },
    },
  },
  required: ['case', 'placed', 'unplaced'],
} as const;

function attachment(reply: FastifyReply, name: string, mime: string) {
  return reply
    .header('content-type', mime)
    .header('x-content-type-options', 'nosniff')
    .header(
      'content-disposition',
      `attachment; filename="${encodeURIComponent(name)}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    );
}

const mimeOf: Record<string, string> = {
  pdf: 'application/pdf',
  ofd: 'application/ofd',
  jpeg: 'image/jpeg',
  png: 'image/png',
  tiff: 'image/tiff',
  zip: 'application/zip',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  text: 'text/plain; charset=utf-8',
  coordinates: 'text/plain; charset=utf-8',
};

/** The one file of a multipart request; the material key from the query or a field before the file. */
async function uploadedFile(request: FastifyRequest) {
  if (!request.isMultipart())
    throw new AppError('VALIDATION_FAILED', 'send the file as multipart/form-data (field "file")', [
      { path: 'body', message: 'multipart expected' },
    ]);
  const part = await request.file();
  if (!part) throw new AppError('VALIDATION_FAILED', 'no file in the request', [{ path: 'file', message: 'required' }]);
  const field = part.fields.materialKey;
  const fromField = field && !Array.isArray(field) && 'value' in field ? String(field.value) : undefined;
  return { part, materialKey: (request.query as { materialKey?: string }).materialKey ?? fromField };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The routes a party shares on its drafts (the applicant's under /public/applicant, the window's
 * under /cases): read, edit, materials, package, submit, withdraw, files, documents.
 */
function draftRoutes(
  scope: FastifyInstance,
  deps: CaseDeps,
  base: string,
  access: 'public' | 'case.read',
  partyOf: (request: FastifyRequest) => CaseParty,
  uploadLimit: number,
): void {
  const detail = (request: FastifyRequest, id: number) => getCaseDetail(deps, partyOf(request), id);
  const config = { access } as const;

  scope.get<{ Querystring: CaseListQuery }>(
    base,
    {
      config,
      schema: {
        summary: 'Cases (staff: in my bureau; applicant: mine), newest first',
        tags,
        querystring: listQuery,
        response: { 200: listResponse, ...errorResponses },
      },
    },
    async (request) => listCases(deps, partyOf(request), request.query),
  );

  scope.get<{ Params: { id: number } }>(
    `${base}/:id`,
    {
      config,
      schema: {
        summary: 'One case: form, materials, problems, parcel, clocks, history, documents, tasks, actions',
        tags,
        params: caseParams,
        response: { 200: detailSchema, ...errorResponses },
      },
    },
    async (request) => detail(request, request.params.id),
  );

  scope.put<{ Params: { id: number }; Body: UpdateCaseRequest }>(
    `${base}/:id`,
    {
      config,
      schema: {
        summary: 'Edit a draft (or a case waiting for a supplement): title and form',
        tags,
        params: caseParams,
        body: updateBody,
        response: { 200: detailSchema, ...errorResponses },
      },
    },
    async (request) => {
      await updateCaseDraft(deps, partyOf(request), request.params.id, request.body);
      return detail(request, request.params.id);
    },
  );

  scope.post<{ Params: { id: number }; Querystring: { materialKey?: string } }>(
    `${base}/:id/materials`,
    {
      config,
      bodyLimit: uploadLimit + 64 * 1024,
      schema: {
        summary:
          'Attach a file to a material (multipart: materialKey, then file; or ?materialKey=); its type is judged by content',
        tags,
        params: caseParams,
        querystring: { type: 'object', properties: { materialKey: { type: 'string', maxLength: 64 } } },
        response: { 201: detailSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { part, materialKey } = await uploadedFile(request);
      if (!materialKey) {
        await readAll(part.file);
        throw new AppError('VALIDATION_FAILED', 'name the material the file belongs to', [
          { path: 'materialKey', message: 'required' },
        ]);
      }
      await attachMaterial(deps, partyOf(request), request.params.id, materialKey, {
        filename: part.filename,
        stream: part.file,
        truncated: () => part.file.truncated,
      });
      return reply.status(201).send(await detail(request, request.params.id));
    },
  );

  scope.delete<{ Params: { id: number; fileId: number } }>(
    `${base}/:id/materials/:fileId`,
    {
      config,
      schema: {
        summary: 'Remove a file added in the current round',
        tags,
        params: fileParams,
        response: { 200: detailSchema, ...errorResponses },
      },
    },
    async (request) => {
      await removeMaterial(deps, partyOf(request), request.params.id, request.params.fileId);
      return detail(request, request.params.id);
    },
  );

  scope.post<{ Params: { id: number } }>(
    `${base}/:id/package`,
    {
      config,
      bodyLimit: uploadLimit * 4 + 64 * 1024,
      schema: {
        summary:
          'Upload the electronic package (电子报盘) as one ZIP: entries placed on materials by folder or name prefix (key or name); a coordinate file by content',
        tags,
        params: caseParams,
        response: { 201: packageResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { part } = await uploadedFile(request);
      const bytes = await readAll(part.file);
      if (part.file.truncated)
        throw new AppError('VALIDATION_FAILED', 'the package is too large', [{ path: 'file', message: 'too large' }]);
      const report = await importPackage(deps, partyOf(request), request.params.id, bytes);
      return reply.status(201).send({ case: await detail(request, request.params.id), ...report });
    },
  );

  scope.post<{ Params: { id: number }; Body: SubmitCaseRequest }>(
    `${base}/:id/submit`,
    {
      config,
      schema: {
        summary: 'Submit (or resubmit after a supplement request); refused with every problem while errors remain',
        tags,
        params: caseParams,
        body: versionBody,
        response: { 200: actionResponse, ...errorResponses },
      },
    },
    async (request) => {
      await submitCase(deps, partyOf(request), request.params.id, request.body.version);
      return { case: await detail(request, request.params.id) };
    },
  );

  scope.post<{ Params: { id: number }; Body: SubmitCaseRequest }>(
    `${base}/:id/withdraw`,
    {
      config,
      schema: {
        summary: 'Withdraw an application not yet accepted',
        tags,
        params: caseParams,
        body: versionBody,
        response: { 200: actionResponse, ...errorResponses },
      },
    },
    async (request) => {
      await withdrawCase(deps, partyOf(request), request.params.id, request.body.version);
      return { case: await detail(request, request.params.id) };
    },
  );

  scope.get<{ Params: { id: number; fileId: number } }>(
    `${base}/:id/files/:fileId`,
    {
      config,
      schema: {
        summary: 'A material file (type as detected from its content)',
        tags,
        params: fileParams,
        response: { 404: errorResponses[404] },
      },
    },
    async (request, reply) => {
      const f = await openCaseFile(deps, partyOf(request), request.params.id, request.params.fileId);
      return attachment(reply, f.name, mimeOf[f.type] ?? 'application/octet-stream')
        .header('content-length', String(f.size))
        .send(f.stream);
    },
  );

  scope.get<{ Params: { id: number; docId: number } }>(
    `${base}/:id/documents/:docId`,
    {
      config,
      schema: {
        summary: 'A document of the case as PDF',
        tags,
        params: docParams,
        response: { 404: errorResponses[404] },
      },
    },
    async (request, reply) => {
      const d = await openCaseDocument(deps, partyOf(request), request.params.id, request.params.docId);
      return attachment(reply, d.name, 'application/pdf').send(d.stream);
    },
  );
}

export function caseRoutes(app: FastifyInstance, ctx: AppContext): void {
  const deps = caseDepsOf(ctx);
  const staff = (request: FastifyRequest): CaseParty => ({ kind: 'staff', actor: requireActor(request.actor) });

  // ---- staff --------------------------------------------------------------------------------
  void app.register(async (scope) => {
    await scope.register(multipart, {
      limits: { fileSize: ctx.config.blobMaxBytes * 4, files: 1, fields: 10 },
    });
    scope.post<{ Body: CreateCaseRequest }>(
      '/api/v1/cases',
      {
        config: { access: 'case.receive' },
        schema: {
          summary: 'Window intake on an applicant’s behalf: a draft',
          tags,
          body: createBody,
          response: { 201: detailSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const id = await createCase(deps, staff(request), request.body);
        return reply.status(201).send(await getCaseDetail(deps, staff(request), id));
      },
    );
    scope.get<{ Querystring: { q?: string } }>(
      '/api/v1/cases/trackers',
      {
        config: { access: 'staff' },
        schema: {
          summary:
            'Who may be named the 特事特办 tracker (staff of my bureau and the department’s offices); for those who may expedite',
          tags,
          querystring: {
            type: 'object',
            properties: { q: { type: 'string', maxLength: 50 } },
            additionalProperties: false,
          },
          response: { 200: { type: 'object', additionalProperties: true }, ...errorResponses },
        },
      },
      async (request) => listTrackers(deps, staff(request), request.query.q),
    );
    draftRoutes(scope, deps, '/api/v1/cases', 'case.read', staff, ctx.config.blobMaxBytes);

    const action = <B extends { version: number }>(
      name: string,
      summary: string,
      access: 'case.accept' | 'case.issue' | 'case.read',
      body: Record<string, unknown>,
      run: (party: CaseParty, id: number, body: B) => Promise<{ queryCode: string } | void>,
    ) =>
      scope.post<{ Params: { id: number }; Body: B }>(
        `/api/v1/cases/:id/${name}`,
        {
          config: { access },
          schema: { summary, tags, params: caseParams, body, response: { 200: actionResponse, ...errorResponses } },
        },
        async (request) => {
          const result = await run(staff(request), request.params.id, request.body as B);
          return { case: await getCaseDetail(deps, staff(request), request.params.id), ...(result ?? {}) };
        },
      );

    action<AcceptCaseRequest>(
      'accept',
      'Accept (受理): case number, query code (returned once), 受理通知书, clocks, the process starts',
      'case.accept',
      {
        type: 'object',
        properties: { version: { type: 'integer', minimum: 1 }, expediteTrackerId: { type: 'integer', minimum: 1 } },
        required: ['version'],
        additionalProperties: false,
      },
      (party, id, body) => acceptCase(deps, party, id, body),
    );
    action<RequestSupplementRequest>(
      'request-supplement',
      'Ask for a supplement (补正): one complete list; the acceptance clock pauses; 补正材料通知书',
      'case.accept',
      {
        type: 'object',
        properties: {
          version: { type: 'integer', minimum: 1 },
          items: {
            type: 'array',
            minItems: 1,
            maxItems: 100,
            items: {
              type: 'object',
              properties: {
                materialKey: { type: 'string', maxLength: 64 },
                message: { type: 'string', minLength: 1, maxLength: 1000 },
              },
              required: ['message'],
              additionalProperties: false,
            },
          },
          note: { type: 'string', maxLength: 2000 },
        },
        required: ['version', 'items'],
        additionalProperties: false,
      },
      (party, id, body) => requestSupplement(deps, party, id, body),
    );
    action<RefuseCaseRequest>(
      'refuse',
      'Refuse (不予受理) with reasons; 不予受理决定书',
      'case.accept',
      {
        type: 'object',
        properties: {
          version: { type: 'integer', minimum: 1 },
          reason: { type: 'string', minLength: 1, maxLength: 2000 },
        },
        required: ['version', 'reason'],
        additionalProperties: false,
      },
      (party, id, body) => refuseCase(deps, party, id, body),
    );
    action<ExpediteCaseRequest>(
      'expedite',
      '特事特办: the promised 7-working-day limit and a named tracker',
      'case.read',
      {
        type: 'object',
        properties: {
          version: { type: 'integer', minimum: 1 },
          trackerId: { type: 'integer', minimum: 1 },
          reason: { type: 'string', minLength: 1, maxLength: 1000 },
        },
        required: ['version', 'trackerId', 'reason'],
        additionalProperties: false,
      },
      (party, id, body) => expediteCase(deps, party, id, body),
    );
    action<{ version: number }>(
      'archive',
      'Archive (归档): read-only from now on; the archive package with its manifest of hashes is built and kept',
      'case.issue',
      versionBody,
      (party, id, body) => archiveCase(deps, party, id, body.version),
    );

    // the fields of a fee; emptiness, amounts and fen are the service's (every problem at once)
    const feeFields = {
      itemName: { type: 'string', maxLength: 200 },
      amount: { type: 'number' },
      basis: { type: 'string', maxLength: 500 },
      note: { type: 'string', maxLength: 2000 },
    } as const;
    action<RecordCaseFeeRequest>(
      'fees',
      '收费登记: record a fee taken for the case (case.accept or case.issue; inReview, decided or issued); supervision checks it against the matter',
      'case.read',
      {
        type: 'object',
        properties: { version: { type: 'integer', minimum: 1 }, ...feeFields },
        required: ['version', 'itemName', 'amount'],
        additionalProperties: false,
      },
      async (party, id, body) => {
        await recordFee(deps, party, id, body);
      },
    );
    scope.post<{ Params: { id: number; feeId: number }; Body: VoidCaseFeeRequest }>(
      '/api/v1/cases/:id/fees/:feeId/void',
      {
        config: { access: 'case.read' },
        schema: {
          summary:
            '作废/更正: void a recorded fee with a reason and optionally record the corrected one (case.accept or case.issue; inReview, decided or issued); a fee is never edited',
          tags,
          params: feeParams,
          body: {
            type: 'object',
            properties: {
              version: { type: 'integer', minimum: 1 },
              reason: { type: 'string', maxLength: 2000 },
              correction: {
                type: 'object',
                properties: feeFields,
                required: ['itemName', 'amount'],
                additionalProperties: false,
              },
            },
            required: ['version', 'reason'],
            additionalProperties: false,
          },
          response: { 200: actionResponse, ...errorResponses },
        },
      },
      async (request) => {
        const { id, feeId } = request.params;
        await voidFee(deps, staff(request), { caseId: id, feeId }, request.body);
        return { case: await getCaseDetail(deps, staff(request), id) };
      },
    );

    scope.get<{ Params: { id: number } }>(
      '/api/v1/cases/:id/archive.zip',
      {
        config: { access: 'case.read' },
        schema: {
          summary: 'The archive package (ZIP with manifest.json)',
          tags,
          params: caseParams,
          response: { 404: errorResponses[404] },
        },
      },
      async (request, reply) => {
        const a = await openArchive(deps, staff(request), request.params.id);
        return attachment(reply, a.name, 'application/zip').send(a.stream);
      },
    );
  });

  // ---- the applicant's own cases ----------------------------------------------------------------
  applicantScoped(app, ctx, (scope) => {
    const applicant = (request: FastifyRequest): CaseParty => {
      const p = applicantOf(request);
      return {
        kind: 'applicant',
        applicantId: p.applicant.id,
        name: p.applicant.name ?? p.applicant.phone,
        phone: p.applicant.phone,
        requestId: request.id,
      };
    };
    scope.post<{ Body: CreateCaseRequest }>(
      '/api/v1/public/applicant/cases',
      {
        config: { access: 'public' },
        schema: {
          summary: 'Start an online application (a draft) for a matter',
          tags,
          body: createBody,
          response: { 201: detailSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const p = applicantOf(request);
        if (!p.applicant.profileComplete)
          throw new AppError('VALIDATION_FAILED', 'complete your profile (name and identifier) before applying', [
            { path: 'profile', message: 'incomplete' },
          ]);
        const id = await createCase(deps, applicant(request), request.body);
        return reply.status(201).send(await getCaseDetail(deps, applicant(request), id));
      },
    );
    draftRoutes(scope, deps, '/api/v1/public/applicant/cases', 'public', applicant, ctx.config.blobMaxBytes);
  });

  // ---- public --------------------------------------------------------------------------------
  app.post<{ Body: ProgressQueryRequest }>(
    '/api/v1/public/progress',
    {
      config: { access: 'public', rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        summary:
          'Progress by case number + query code; the same 404 for a wrong number as for a wrong code; 10 a minute per IP',
        tags,
        body: {
          type: 'object',
          properties: {
            caseNumber: { type: 'string', minLength: 1, maxLength: 40 },
            queryCode: { type: 'string', minLength: 1, maxLength: 20 },
          },
          required: ['caseNumber', 'queryCode'],
          additionalProperties: false,
        },
        response: { 200: detailSchema, ...errorResponses, 429: errorResponses[400] },
      },
    },
    async (request) => queryProgress(deps, request.body.caseNumber, request.body.queryCode),
  );

  app.get<{ Querystring: { code: string } }>(
    '/api/v1/public/documents/verify',
    {
      config: { access: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        summary: 'Check the verification code printed on a document',
        tags,
        querystring: {
          type: 'object',
          properties: { code: { type: 'string', minLength: 1, maxLength: 40 } },
          required: ['code'],
        },
        response: { 200: detailSchema, ...errorResponses, 429: errorResponses[400] },
      },
    },
    async (request) => verifyDocument(deps.db, request.query.code),
  );
}
