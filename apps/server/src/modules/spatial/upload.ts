import path from 'node:path';
import type { FastifyRequest } from 'fastify';
import { AppError } from '@guotu/domain';

export interface Upload {
  /** files by lower-case extension (".shp", ".txt", …) */
  files: Array<{ filename: string; ext: string; data: Buffer }>;
  fields: Record<string, string>;
}

/** A multipart form (files and text fields) or a raw body (one unnamed file). */
export async function readUpload(request: FastifyRequest): Promise<Upload> {
  const upload: Upload = { files: [], fields: {} };
  if (request.isMultipart()) {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const data = await part.toBuffer();
        upload.files.push({ filename: part.filename, ext: path.extname(part.filename).toLowerCase(), data });
      } else if (typeof part.value === 'string') {
        upload.fields[part.fieldname] = part.value;
      }
    }
    return upload;
  }
  if (Buffer.isBuffer(request.body)) upload.files.push({ filename: 'upload', ext: '', data: request.body });
  return upload;
}

export function onlyFile(upload: Upload): Buffer {
  const file = upload.files[0];
  if (!file) throw new AppError('VALIDATION_FAILED', 'no file in the request', [{ path: 'file', message: 'required' }]);
  return file.data;
}

export function fileWithExt(upload: Upload, ext: string): Buffer | undefined {
  return upload.files.find((f) => f.ext === ext)?.data;
}
