import type { Executor, Tx } from '../../platform/db.ts';

/** All SQL of the blob store. */

export async function insertBlob(tx: Tx, blob: { sha256: string; size: number; type: string }): Promise<void> {
  await tx
    .insertInto('blobs')
    .values({ sha256: blob.sha256, size: blob.size, detected_type: blob.type })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
}

export async function insertRef(
  tx: Tx,
  ref: { sha256: string; originalName: string; userId: number | null; applicantId: number | null },
): Promise<number> {
  const row = await tx
    .insertInto('blob_refs')
    .values({
      sha256: ref.sha256,
      original_name: ref.originalName,
      created_by: ref.userId,
      created_by_applicant: ref.applicantId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface BlobRefRow {
  id: number;
  sha256: string;
  originalName: string;
  size: string;
  type: string;
  createdBy: number | null;
  createdByApplicant: number | null;
  createdAt: Date;
}

export async function findRef(db: Executor, id: number): Promise<BlobRefRow | undefined> {
  return db
    .selectFrom('blob_refs as r')
    .innerJoin('blobs as b', 'b.sha256', 'r.sha256')
    .select([
      'r.id',
      'r.sha256',
      'r.original_name as originalName',
      'b.size',
      'b.detected_type as type',
      'r.created_by as createdBy',
      'r.created_by_applicant as createdByApplicant',
      'r.created_at as createdAt',
    ])
    .where('r.id', '=', id)
    .executeTakeFirst();
}

export async function countBlobs(db: Executor, sha256: string): Promise<{ blobs: number; refs: number }> {
  const blobs = await db
    .selectFrom('blobs')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('sha256', '=', sha256)
    .executeTakeFirstOrThrow();
  const refs = await db
    .selectFrom('blob_refs')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('sha256', '=', sha256)
    .executeTakeFirstOrThrow();
  return { blobs: Number(blobs.n), refs: Number(refs.n) };
}
