import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../test/harness.ts';
import { chainAudit, createCheckpoint, verifyAuditChain } from './service.ts';

/**
 * The audit chain: each record's hash = SM3(previous hash ‖ canonical record). Editing,
 * deleting or inserting a record by hand must be named by the verification; checkpoints signed
 * with SM2 catch a rewrite that recomputes every hash after the tampered record.
 */
describe.each(engines)('audit chain on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
    await chainAudit(t.ctx.database.db);
  });
  afterAll(async () => t.close());

  const key = () => t.ctx.config.auditSigningKey;
  const verify = () => verifyAuditChain(t.ctx.database.db, key().publicKey);
  // records in chain order
  const seqs = async () =>
    (
      await t.ctx.database.db
        .selectFrom('audit_log')
        .select('seq')
        .where('chain_pos', 'is not', null)
        .orderBy('chain_pos')
        .execute()
    ).map((r) => String(r.seq));

  it('verifies an untouched chain written by many transactions, all linked by the chainer', async () => {
    const result = await verify();
    expect(result.records).toBeGreaterThan(100);
    expect(result.pending).toBe(0);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('signs a checkpoint and skips a second one when nothing was appended', async () => {
    expect(await createCheckpoint(t.ctx.database.db, key())).not.toBeNull();
    expect(await createCheckpoint(t.ctx.database.db, key())).toBeNull();
    expect((await verify()).checkpoints).toBe(1);
  });

  it('names a record whose content was edited by hand', async () => {
    const target = (await seqs())[10] ?? '';
    await sql`update audit_log set after = '{"username":"mallory"}'::jsonb where seq = ${target}::bigint`.execute(
      t.ctx.database.db,
    );
    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.problems).toContainEqual(expect.objectContaining({ seq: target, kind: 'edited' }));
  });

  it('names a deletion: the record after the gap no longer links', async () => {
    const all = await seqs();
    const victim = all[20] ?? '';
    const after = all[21] ?? '';
    await sql`delete from audit_log where seq = ${victim}::bigint`.execute(t.ctx.database.db);
    const result = await verify();
    expect(result.problems).toContainEqual(expect.objectContaining({ seq: after, kind: 'deleted' }));
  });

  it('names an inserted record even when its own hash is computed correctly', async () => {
    const all = await seqs();
    const before = all[30] ?? '';
    const row = await t.ctx.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '=', before)
      .executeTakeFirstOrThrow();
    // A forger who knows the algorithm: a new record linked to `before`, hashed right, at a free position.
    const { auditHashInput, sm3Hex } = await import('./repository.ts');
    const forgedSeq = String(BigInt(before) * 1000n + 7n);
    const forgedPos = '999999';
    const at = new Date('2026-01-01T00:00:00.000Z');
    const content = {
      seq: forgedSeq,
      pos: forgedPos,
      at,
      actorId: null,
      actorName: 'mallory',
      ip: null,
      requestId: null,
      action: 'user.created',
      entityType: 'user',
      entityId: '999',
      before: null,
      after: null,
    };
    const prevHash = row.hash ?? '';
    const hash = sm3Hex(prevHash, auditHashInput(content));
    await sql`insert into audit_log (seq, chain_pos, at, actor_id, actor_name, action, entity_type, entity_id, prev_hash, hash) overriding system value
      values (${forgedSeq}::bigint, ${forgedPos}::bigint, ${at}, null, 'mallory', 'user.created', 'user', '999', ${prevHash}, ${hash})`.execute(
      t.ctx.database.db,
    );
    const result = await verify();
    expect(result.problems).toContainEqual(expect.objectContaining({ seq: forgedSeq, kind: 'inserted' }));
  });

  it('answers the verification over HTTP to audit.read holders only', async () => {
    const supervisor = await t.login('supervisor');
    const ok = await t.app.inject({ method: 'GET', url: '/api/v1/audit/verification', headers: supervisor.headers });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ ok: false });
    const handler = await t.login('handler');
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/audit/verification', headers: handler.headers })).statusCode,
    ).toBe(403);
  });
});

describe('audit checkpoints', () => {
  it('catch a rewrite that recomputes every hash after the tampered record', async () => {
    const t = await createTestApp('pglite');
    try {
      const db = t.ctx.database.db;
      const key = t.ctx.config.auditSigningKey;
      expect(await createCheckpoint(db, key)).not.toBeNull();
      const { auditHashInput, sm3Hex } = await import('./repository.ts');
      // Rewrite record 5 and re-hash the whole chain after it, as a careful forger would.
      const rows = await db.selectFrom('audit_log').selectAll().orderBy('chain_pos').execute();
      let prevHash = '0'.repeat(64);
      for (const [i, r] of rows.entries()) {
        const after = i === 5 ? { forged: true } : r.after;
        const hash = sm3Hex(
          prevHash,
          auditHashInput({
            seq: String(r.seq),
            pos: String(r.chain_pos),
            at: r.at,
            actorId: r.actor_id,
            actorName: r.actor_name,
            ip: r.ip,
            requestId: r.request_id,
            action: r.action,
            entityType: r.entity_type,
            entityId: r.entity_id,
            before: r.before,
            after,
          }),
        );
        await sql`update audit_log set after = ${after === null ? null : JSON.stringify(after)}::jsonb, prev_hash = ${prevHash}, hash = ${hash} where seq = ${String(r.seq)}::bigint`.execute(
          db,
        );
        prevHash = hash;
      }
      const result = await verifyAuditChain(db, key.publicKey);
      expect(result.problems.filter((p) => p.kind !== 'checkpoint')).toEqual([
        expect.objectContaining({ kind: 'edited' }),
      ]);
      expect(result.problems[0]?.message).toMatch(/rewritten after checkpoint/);
    } finally {
      await t.close();
    }
  });
});
