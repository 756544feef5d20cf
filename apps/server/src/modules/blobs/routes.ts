import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '@guotu/domain';
import { requireActor, type AppContext } from '../../http/context.ts';
import { errorResponses, idParams } from '../../http/schemas.ts';
import { openBlob, uploadBlob, type BlobDeps, type BlobParty, type BlobRef } from './service.ts';

export const blobRefSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    sha256: { type: 'string' },
    size: { type: 'integer' },
    type: { type: 'string' },
    mime: { type: 'string' },
    originalName: { type: 'string' },
    createdAt: { type: 'string' },
  },
  required: ['id', 'sha256', 'size', 'type', 'mime', 'originalName', 'createdAt'],
} as const;

/** Reads the one file of a multipart request and stores it. */
export async function receiveUpload(request: FastifyRequest, deps: BlobDeps, party: BlobParty): Promise<BlobRef> {
  if (!request.isMultipart())
    throw new AppError('VALIDATION_FAILED', 'send the file as multipart/form-data (field "file")', [
      { path: 'body', message: 'multipart expected' },
    ]);
  const part = await request.file();
  if (!part) throw new AppError('VALIDATION_FAILED', 'no file in the request', [{ path: 'file', message: 'required' }]);
  return uploadBlob(deps, party, { filename: part.filename, stream: part.file, truncated: () => part.file.truncated });
}

/** Sends an attachment: the detected type, never a type derived from the name; always as a download. */
export function sendBlob(reply: FastifyReply, opened: { ref: BlobRef; stream: NodeJS.ReadableStream }) {
  const { ref } = opened;
  return reply
    .header('content-type', ref.mime)
    .header('content-length', String(ref.size))
    .header('x-content-type-options', 'nosniff')
    .header(
      'content-disposition',
      `attachment; filename="${encodeURIComponent(ref.originalName)}"; filename*=UTF-8''${encodeURIComponent(ref.originalName)}`,
    )
    .header('etag', `"${ref.sha256}"`)
    .send(opened.stream);
}

/** Registers @fastify/multipart (once per scope) with the configured size limit. */
export async function withUploads(scope: FastifyInstance, ctx: AppContext): Promise<void> {
  await scope.register(multipart, { limits: { fileSize: ctx.config.blobMaxBytes, files: 1, fields: 10 } });
}

export function blobRoutes(app: FastifyInstance, ctx: AppContext): void {
  const deps: BlobDeps = { db: ctx.database.db, dataDir: ctx.config.dataDir, maxBytes: ctx.config.blobMaxBytes };
  void app.register(async (scope) => {
    await withUploads(scope, ctx);
    scope.post(
      '/api/v1/blobs',
      {
        config: { access: 'staff' },
        bodyLimit: ctx.config.blobMaxBytes + 64 * 1024,
        schema: {
          summary:
            'Upload an attachment (multipart field "file"): stored once per content (SHA-256), type detected from the bytes, size limited (BLOB_MAX_MB)',
          tags: ['blobs'],
          response: { 201: blobRefSchema, ...errorResponses },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await receiveUpload(request, deps, { kind: 'staff', actor: requireActor(request.actor) })),
    );

    scope.get<{ Params: { id: number } }>(
      '/api/v1/blobs/:id',
      {
        config: { access: 'staff' },
        schema: {
          summary: 'Download an attachment (its uploader, or staff with case.read)',
          tags: ['blobs'],
          params: idParams,
          response: { 404: errorResponses[404] },
        },
      },
      async (request, reply) =>
        sendBlob(reply, await openBlob(deps, { kind: 'staff', actor: requireActor(request.actor) }, request.params.id)),
    );
  });
}
