import { sql } from 'kysely';
import { sm2 } from 'sm-crypto-v2';
import { AppError, hasPermission, type Actor } from '@guotu/domain';
import { inTransaction, type Db, type Executor } from '../../platform/db.ts';
import { auditHashInput, GENESIS_HASH, sm3Hex } from './repository.ts';

export interface AuditProblem {
  /** the record concerned (the first record after a gap for deletions) */
  seq: string;
  kind: 'edited' | 'deleted' | 'inserted' | 'checkpoint';
  message: string;
}

export interface AuditVerification {
  ok: boolean;
  records: number;
  checkpoints: number;
  lastSeq: string | null;
  lastCheckpointSeq: string | null;
  problems: AuditProblem[];
  verifiedAt: string;
}

const signedText = (uptoSeq: string, chainHash: string) => `guotu-audit:${uptoSeq}:${chainHash}`;

interface ChainRow {
  seq: string;
  at: Date;
  actor_id: number | null;
  actor_name: string;
  ip: string | null;
  request_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: unknown;
  after: unknown;
  prev_hash: string;
  hash: string;
}

function contentHash(row: ChainRow): string {
  return sm3Hex(
    row.prev_hash,
    auditHashInput({
      seq: String(row.seq),
      at: row.at,
      actorId: row.actor_id,
      actorName: row.actor_name,
      ip: row.ip,
      requestId: row.request_id,
      action: row.action,
      entityType: row.entity_type,
      entityId: row.entity_id,
      before: row.before,
      after: row.after,
    }),
  );
}

async function readPage(db: Executor, afterSeq: string, limit: number): Promise<ChainRow[]> {
  const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
  return rows.map((r) => ({ ...r, seq: String(r.seq) }));
}

/** Checks one link: row `cur` must hash to itself and point at `prev` (null = the first row). */
function checkLink(prev: ChainRow | null, cur: ChainRow, next: ChainRow | undefined, seen: ReadonlyMap<string, string>, problems: AuditProblem[]): void {
  if (contentHash(cur) !== cur.hash) {
    problems.push({ seq: cur.seq, kind: 'edited', message: `record ${cur.seq} (${cur.action}) does not match its hash: its content was changed` });
  }
  const expectedPrev = prev?.hash ?? GENESIS_HASH;
  if (cur.prev_hash === expectedPrev) return;
  const forkedFrom = seen.get(cur.prev_hash);
  if (prev && next && next.prev_hash === prev.hash) {
    problems.push({ seq: cur.seq, kind: 'inserted', message: `record ${cur.seq} (${cur.action}) was inserted: the chain runs from ${prev.seq} to ${next.seq} around it` });
  } else if (prev && forkedFrom !== undefined) {
    problems.push({ seq: cur.seq, kind: 'inserted', message: `record ${cur.seq} (${cur.action}) was inserted: it links to record ${forkedFrom}, not to its predecessor ${prev.seq}` });
  } else if (!prev) {
    problems.push({ seq: cur.seq, kind: 'deleted', message: `records before ${cur.seq} were deleted: the first record does not start the chain` });
  } else if (problems.some((p) => p.seq === prev.seq && p.kind === 'inserted')) {
    // the previous record was an insertion; this link is already explained
  } else {
    problems.push({ seq: cur.seq, kind: 'deleted', message: `record(s) between ${prev.seq} and ${cur.seq} were deleted (or ${prev.seq} was rewritten): ${cur.seq} does not link to ${prev.seq}` });
  }
}

/** Walks the whole chain in pages and checks every signed checkpoint. Read-only. */
export async function verifyAuditChain(db: Executor, publicKey: string): Promise<AuditVerification> {
  const problems: AuditProblem[] = [];
  const hashes = new Map<string, string>();
  const seenHashes = new Map<string, string>();
  let prev: ChainRow | null = null;
  let records = 0;
  let page = await readPage(db, '0', 5000);
  while (page.length > 0) {
    const nextPage = await readPage(db, page[page.length - 1]?.seq ?? '0', 5000);
    for (let i = 0; i < page.length; i++) {
      const cur = page[i];
      if (!cur) continue;
      checkLink(prev, cur, page[i + 1] ?? nextPage[0], seenHashes, problems);
      hashes.set(cur.seq, cur.hash);
      seenHashes.set(cur.hash, cur.seq);
      prev = cur;
      records += 1;
    }
    page = nextPage;
  }
  const checkpoints = await db.selectFrom('audit_checkpoints').selectAll().orderBy('upto_seq').execute();
  for (const cp of checkpoints) {
    const seq = String(cp.upto_seq);
    const stored = hashes.get(seq);
    if (!sm2.doVerifySignature(signedText(seq, cp.chain_hash), cp.signature, cp.public_key, { hash: true }) || cp.public_key.toLowerCase() !== publicKey.toLowerCase()) {
      problems.push({ seq, kind: 'checkpoint', message: `checkpoint ${cp.id} at ${seq} has an invalid signature or was signed by another key` });
    } else if (stored === undefined) {
      problems.push({ seq, kind: 'deleted', message: `record ${seq}, sealed by checkpoint ${cp.id}, is missing` });
    } else if (stored !== cp.chain_hash) {
      problems.push({ seq, kind: 'edited', message: `the chain up to ${seq} was rewritten after checkpoint ${cp.id} sealed it` });
    }
  }
  return {
    ok: problems.length === 0,
    records,
    checkpoints: checkpoints.length,
    lastSeq: prev?.seq ?? null,
    lastCheckpointSeq: checkpoints.length > 0 ? String(checkpoints[checkpoints.length - 1]?.upto_seq) : null,
    problems,
    verifiedAt: new Date().toISOString(),
  };
}

/** Signs the current end of the chain (skipped when nothing was appended since the last one). */
export async function createCheckpoint(db: Db, key: { privateKey: string; publicKey: string }): Promise<{ uptoSeq: string } | null> {
  return inTransaction(db, async (tx) => {
    await sql`select pg_advisory_xact_lock(${7_404_0001})`.execute(tx);
    const last = await tx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    if (!last) return null;
    const seq = String(last.seq);
    const lastCp = await tx.selectFrom('audit_checkpoints').select('upto_seq').orderBy('upto_seq', 'desc').limit(1).executeTakeFirst();
    if (lastCp && String(lastCp.upto_seq) === seq) return null;
    const signature = sm2.doSignature(signedText(seq, last.hash), key.privateKey, { hash: true });
    await tx.insertInto('audit_checkpoints').values({ upto_seq: seq, chain_hash: last.hash, signature, public_key: key.publicKey }).execute();
    return { uptoSeq: seq };
  });
}

export async function getVerification(db: Db, actor: Actor, publicKey: string): Promise<AuditVerification> {
  if (!hasPermission(actor, 'audit.read')) throw new AppError('FORBIDDEN', 'requires permission audit.read');
  return verifyAuditChain(db, publicKey);
}
