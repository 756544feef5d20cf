import { sql } from 'kysely';
import { sm2 } from 'sm-crypto-v2';
import { AppError, hasPermission, type Actor } from '@guotu/domain';
import { inTransaction, type Db, type Executor } from '../../platform/db.ts';
import { AUDIT_CHAIN_LOCK, chainPending, contentOf, GENESIS_HASH, sm3Hex, type AuditRow } from './repository.ts';

export interface AuditProblem {
  /** the record concerned (the first record after a gap for deletions) */
  seq: string;
  kind: 'edited' | 'deleted' | 'inserted' | 'checkpoint';
  message: string;
}

export interface AuditVerification {
  ok: boolean;
  /** records linked into the chain and checked */
  records: number;
  /** records committed but not linked yet (the chainer runs every second in a server) */
  pending: number;
  checkpoints: number;
  lastSeq: string | null;
  lastCheckpointSeq: string | null;
  problems: AuditProblem[];
  verifiedAt: string;
}

const signedText = (uptoPos: string, chainHash: string) => `guotu-audit:${uptoPos}:${chainHash}`;

type ChainRow = AuditRow;

function contentHash(row: ChainRow): string {
  return sm3Hex(row.prev_hash, contentOf(row));
}

async function readPage(db: Executor, afterPos: string, limit: number): Promise<ChainRow[]> {
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('chain_pos', '>', afterPos)
    .orderBy('chain_pos')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    ...r,
    seq: String(r.seq),
    pos: String(r.chain_pos),
    prev_hash: r.prev_hash ?? '',
    hash: r.hash ?? '',
  }));
}

/** Checks one link: row `cur` must hash to itself and point at `prev` (null = the first row). */
function checkLink(
  prev: ChainRow | null,
  cur: ChainRow,
  next: ChainRow | undefined,
  seen: ReadonlyMap<string, string>,
  problems: AuditProblem[],
): void {
  if (contentHash(cur) !== cur.hash) {
    problems.push({
      seq: cur.seq,
      kind: 'edited',
      message: `record ${cur.seq} (${cur.action}) does not match its hash: its content was changed`,
    });
  }
  const expectedPrev = prev?.hash ?? GENESIS_HASH;
  if (cur.prev_hash === expectedPrev) return;
  const forkedFrom = seen.get(cur.prev_hash);
  if (prev && next && next.prev_hash === prev.hash) {
    problems.push({
      seq: cur.seq,
      kind: 'inserted',
      message: `record ${cur.seq} (${cur.action}) was inserted: the chain runs from ${prev.seq} to ${next.seq} around it`,
    });
  } else if (prev && forkedFrom !== undefined) {
    problems.push({
      seq: cur.seq,
      kind: 'inserted',
      message: `record ${cur.seq} (${cur.action}) was inserted: it links to record ${forkedFrom}, not to its predecessor ${prev.seq}`,
    });
  } else if (!prev) {
    problems.push({
      seq: cur.seq,
      kind: 'deleted',
      message: `records before ${cur.seq} were deleted: the first record does not start the chain`,
    });
  } else if (problems.some((p) => p.seq === prev.seq && p.kind === 'inserted')) {
    // the previous record was an insertion; this link is already explained
  } else {
    problems.push({
      seq: cur.seq,
      kind: 'deleted',
      message: `record(s) between ${prev.seq} and ${cur.seq} were deleted (or ${prev.seq} was rewritten): ${cur.seq} does not link to ${prev.seq}`,
    });
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
    const nextPage = await readPage(db, page[page.length - 1]?.pos ?? '0', 5000);
    for (let i = 0; i < page.length; i++) {
      const cur = page[i];
      if (!cur) continue;
      checkLink(prev, cur, page[i + 1] ?? nextPage[0], seenHashes, problems);
      hashes.set(cur.pos, cur.hash);
      seenHashes.set(cur.hash, cur.seq);
      prev = cur;
      records += 1;
    }
    page = nextPage;
  }
  const checkpoints = await db.selectFrom('audit_checkpoints').selectAll().orderBy('upto_pos').execute();
  for (const cp of checkpoints) {
    const seq = String(cp.upto_seq);
    const pos = String(cp.upto_pos ?? '');
    const stored = hashes.get(pos);
    if (
      !sm2.doVerifySignature(signedText(pos, cp.chain_hash), cp.signature, cp.public_key, { hash: true }) ||
      cp.public_key.toLowerCase() !== publicKey.toLowerCase()
    ) {
      problems.push({
        seq,
        kind: 'checkpoint',
        message: `checkpoint ${cp.id} at ${seq} has an invalid signature or was signed by another key`,
      });
    } else if (stored === undefined) {
      problems.push({ seq, kind: 'deleted', message: `record ${seq}, sealed by checkpoint ${cp.id}, is missing` });
    } else if (stored !== cp.chain_hash) {
      problems.push({
        seq,
        kind: 'edited',
        message: `the chain up to ${seq} was rewritten after checkpoint ${cp.id} sealed it`,
      });
    }
  }
  const pendingRow = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('chain_pos', 'is', null)
    .executeTakeFirst();
  return {
    ok: problems.length === 0,
    records,
    pending: Number(pendingRow?.n ?? 0),
    checkpoints: checkpoints.length,
    lastSeq: prev?.seq ?? null,
    lastCheckpointSeq: checkpoints.length > 0 ? String(checkpoints[checkpoints.length - 1]?.upto_seq) : null,
    problems,
    verifiedAt: new Date().toISOString(),
  };
}

/** Signs the current end of the chain (skipped when nothing was linked since the last one). */
export async function createCheckpoint(
  db: Db,
  key: { privateKey: string; publicKey: string },
): Promise<{ uptoSeq: string; uptoPos: string } | null> {
  await chainAudit(db);
  return inTransaction(db, async (tx) => {
    await sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`.execute(tx);
    const last = await tx
      .selectFrom('audit_log')
      .select(['seq', 'chain_pos', 'hash'])
      .where('chain_pos', 'is not', null)
      .orderBy('chain_pos', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!last?.hash || last.chain_pos === null) return null;
    const pos = String(last.chain_pos);
    const lastCp = await tx
      .selectFrom('audit_checkpoints')
      .select('upto_pos')
      .orderBy('upto_pos', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (lastCp && String(lastCp.upto_pos) === pos) return null;
    const signature = sm2.doSignature(signedText(pos, last.hash), key.privateKey, { hash: true });
    await tx
      .insertInto('audit_checkpoints')
      .values({
        upto_seq: String(last.seq),
        upto_pos: pos,
        chain_hash: last.hash,
        signature,
        public_key: key.publicKey,
      })
      .execute();
    return { uptoSeq: String(last.seq), uptoPos: pos };
  });
}

/** Links every committed, unlinked record (in batches); returns how many. */
export async function chainAudit(db: Db): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await inTransaction(db, (tx) => chainPending(tx, 5000));
    total += n;
    if (n < 5000) return total;
  }
}

export async function getVerification(db: Db, actor: Actor, publicKey: string): Promise<AuditVerification> {
  if (!hasPermission(actor, 'audit.read')) throw new AppError('FORBIDDEN', 'requires permission audit.read');
  return verifyAuditChain(db, publicKey);
}
