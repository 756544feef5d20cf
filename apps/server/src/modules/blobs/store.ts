import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '@guotu/domain';
import { detectType, type BlobType, type ByteSource } from './sniff.ts';

/**
 * The content-addressed file store: DATA_DIR/blobs/ab/cd/<sha256>. A file is written to
 * tmp/ while it is hashed and counted, its type detected from the bytes, then renamed into place
 * (atomic on one filesystem); the same bytes are kept once. A file whose database row never
 * committed is an orphan a sweeper may delete — never a row without its file.
 */
export class BlobStore {
  constructor(readonly root: string) {}

  pathOf(sha256: string): string {
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  /** Streams an upload in; throws VALIDATION_FAILED when too large or of a type we do not accept. */
  async put(
    input: Readable,
    maxBytes: number,
    truncated: () => boolean = () => false,
  ): Promise<{ sha256: string; size: number; type: BlobType }> {
    const tmpDir = path.join(this.root, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    const tmp = path.join(tmpDir, `${Date.now()}-${randomBytes(8).toString('hex')}`);
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > maxBytes)
          return done(
            new AppError('VALIDATION_FAILED', `the file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`, [
              { path: 'file', message: 'too large' },
            ]),
          );
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(input, meter, createWriteStream(tmp, { flags: 'wx' }));
      if (truncated())
        throw new AppError('VALIDATION_FAILED', `the file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`, [
          { path: 'file', message: 'too large' },
        ]);
      if (size === 0)
        throw new AppError('VALIDATION_FAILED', 'the file is empty', [{ path: 'file', message: 'empty' }]);
      const type = await detectFileType(tmp, size);
      if (!type)
        throw new AppError(
          'VALIDATION_FAILED',
          'the file is not of an accepted type (PDF, OFD, JPEG, PNG, TIFF, ZIP, DOCX, text or a coordinate file), judged by its content',
          [{ path: 'file', message: 'type not accepted' }],
        );
      const sha256 = hash.digest('hex');
      const final = this.pathOf(sha256);
      if (existsSync(final)) await rm(tmp, { force: true });
      else {
        await mkdir(path.dirname(final), { recursive: true });
        await rename(tmp, final);
      }
      return { sha256, size, type };
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }

  read(sha256: string): Readable {
    return createReadStream(this.pathOf(sha256));
  }
}

async function detectFileType(file: string, size: number): Promise<BlobType | undefined> {
  const handle = await open(file, 'r');
  try {
    const source: ByteSource = {
      size,
      async read(offset, length) {
        const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
        return buffer.subarray(0, bytesRead);
      },
    };
    return await detectType(source);
  } finally {
    await handle.close();
  }
}
