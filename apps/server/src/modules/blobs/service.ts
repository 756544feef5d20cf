import path from 'node:path';
import { Readable } from 'node:stream';
import { AppError, hasPermission, type Actor } from '@guotu/domain';
import { inTransaction, type Db, type Executor, type Tx } from '../../platform/db.ts';
import { appendAudit } from '../audit/repository.ts';
import * as repo from './repository.ts';
import { mimeOf, type BlobType } from './sniff.ts';
import { BlobStore } from './store.ts';

/** Who uploads or reads: a staff user, or an applicant of the public side. */
export type BlobParty = { kind: 'staff'; actor: Actor } | { kind: 'applicant'; applicantId: number; requestId: string };

export interface BlobRef {
  id: number;
  sha256: string;
  size: number;
  type: BlobType;
  mime: string;
  originalName: string;
  createdAt: string;
}

export interface BlobDeps {
  db: Db;
  dataDir: string;
  maxBytes: number;
}

export function blobStoreOf(dataDir: string): BlobStore {
  return new BlobStore(path.join(dataDir, 'blobs'));
}

function present(row: repo.BlobRefRow): BlobRef {
  const type = row.type as BlobType;
  return {
    id: row.id,
    sha256: row.sha256,
    size: Number(row.size),
    type,
    mime: mimeOf[type],
    originalName: row.originalName,
    createdAt: row.createdAt.toISOString(),
  };
}

/** A file name as given, without any path and control characters (it is only ever shown). */
export function cleanName(name: string): string {
  // stripping control characters is the point of this pattern
  // eslint-disable-next-line no-control-regex
  const withoutControls = name.replace(/[\u0000-\u001f\u007f]/g, '');
  const base = withoutControls.split(/[\\/]/).pop() ?? '';
  return base.trim().slice(0, 255) || 'file';
}

/** Stores an upload (type by content, size limit) and records a reference with its original name. */
export async function uploadBlob(
  deps: BlobDeps,
  party: BlobParty,
  file: { filename: string; stream: Readable; truncated?: () => boolean },
): Promise<BlobRef> {
  const stored = await blobStoreOf(deps.dataDir).put(file.stream, deps.maxBytes, file.truncated);
  const originalName = cleanName(file.filename);
  const id = await inTransaction(deps.db, async (tx) => {
    await repo.insertBlob(tx, stored);
    const refId = await repo.insertRef(tx, {
      sha256: stored.sha256,
      originalName,
      userId: party.kind === 'staff' ? party.actor.userId : null,
      applicantId: party.kind === 'applicant' ? party.applicantId : null,
    });
    await appendAudit(tx, {
      actorId: party.kind === 'staff' ? party.actor.userId : null,
      actorName: party.kind === 'staff' ? party.actor.username : `applicant:${party.applicantId}`,
      requestId: party.kind === 'staff' ? party.actor.requestId : party.requestId,
      action: 'blob.uploaded',
      entityType: 'blob_ref',
      entityId: refId,
      after: { sha256: stored.sha256, size: stored.size, type: stored.type, originalName },
    });
    return refId;
  });
  return getBlobRef(deps.db, id);
}

/** A reference without an access check — for modules that decide access themselves (cases). */
export async function getBlobRef(db: Executor, id: number): Promise<BlobRef> {
  const row = await repo.findRef(db, id);
  if (!row) throw new AppError('NOT_FOUND', `no attachment ${id}`);
  return present(row);
}

/**
 * Who may read an attachment for now: its uploader, and staff holding case.read. The case module
 * will narrow this to the parties of the case. Not allowed looks like not found.
 */
export async function openBlob(
  deps: Pick<BlobDeps, 'db' | 'dataDir'>,
  party: BlobParty,
  id: number,
): Promise<{ ref: BlobRef; stream: Readable }> {
  const row = await repo.findRef(deps.db, id);
  const allowed =
    row !== undefined &&
    (party.kind === 'staff'
      ? row.createdBy === party.actor.userId || hasPermission(party.actor, 'case.read')
      : row.createdByApplicant === party.applicantId);
  if (!row || !allowed) throw new AppError('NOT_FOUND', `no attachment ${id}`);
  return { ref: present(row), stream: blobStoreOf(deps.dataDir).read(row.sha256) };
}

/** Stores bytes made or unpacked by the server (documents, archive packages, ZIP entries). */
export async function storeBytes(
  dataDir: string,
  bytes: Uint8Array,
  maxBytes: number,
): Promise<{ sha256: string; size: number; type: BlobType }> {
  return blobStoreOf(dataDir).put(Readable.from([Buffer.from(bytes)]), maxBytes);
}

/** Records a stored blob (and optionally a reference to it) inside the caller's transaction. */
export async function recordBlobTx(
  tx: Tx,
  stored: { sha256: string; size: number; type: string },
  ref?: { originalName: string; party: BlobParty },
): Promise<number | null> {
  await repo.insertBlob(tx, stored);
  if (!ref) return null;
  return repo.insertRef(tx, {
    sha256: stored.sha256,
    originalName: cleanName(ref.originalName),
    userId: ref.party.kind === 'staff' ? ref.party.actor.userId : null,
    applicantId: ref.party.kind === 'applicant' ? ref.party.applicantId : null,
  });
}

/** The bytes of a stored blob as a stream (the caller has checked access). */
export function readBlob(dataDir: string, sha256: string): NodeJS.ReadableStream & Readable {
  return blobStoreOf(dataDir).read(sha256);
}
