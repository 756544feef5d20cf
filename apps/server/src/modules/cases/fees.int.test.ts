import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { CaseDetail, CaseFeeView } from '@guotu/contracts';
import { createTestApp, engines, type TestApp } from '../../../test/harness.ts';
import { DEMO_PASSWORD } from '../../seed/demo.ts';
import { multipartBody, pdfBytes } from '../blobs/test-files.ts';
import { createUserAsSystem } from '../users/service.ts';
import { coordinates, landConversionForm, MATTER, REQUIRED_PDFS, staffSessions } from './test-support.ts';

/**
 * 收费登记 and the supervision rule that checks it (feeOutsideRules): a fee is recorded in one
 * audited transaction, bad input names its field and changes nothing, a stale version is a
 * conflict; supervision flags a fee the matter does not allow, once, and nothing else. 作废/更正:
 * a fee is never edited — it is voided with a reason (and the right one recorded in the same
 * change), the voided record stays listed and supervision no longer counts it.
 */

const form = landConversionForm('收费登记测试项目');
const required = REQUIRED_PDFS;

interface Anomaly {
  rule: string;
  instanceId: string | null;
  caseNumber: string | null;
  byUser: string | null;
  detail: string;
}
interface ErrorBody {
  code: string;
  details: Array<{ path: string; message: string }>;
}

describe.each(engines)('fees recorded on a case on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  }, 120_000);
  afterAll(async () => t.close());

  const headersOf = staffSessions(() => t);
  const call = async (user: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: await headersOf(user), ...(payload ? { payload } : {}) });
  const detail = async (id: number) => (await call('wuchang.window', 'GET', `/api/v1/cases/${id}`)).json<CaseDetail>();
  const recordFee = (c: Pick<CaseDetail, 'id' | 'version'>, body: object, user = 'wuchang.window') =>
    call(user, 'POST', `/api/v1/cases/${c.id}/fees`, { version: c.version, ...body });
  const voidFee = (c: Pick<CaseDetail, 'id' | 'version'>, feeId: number, body: object, user = 'wuchang.window') =>
    call(user, 'POST', `/api/v1/cases/${c.id}/fees/${feeId}/void`, { version: c.version, ...body });
  const caseOf = (r: { statusCode: number; body: string; json: <T>() => T }): CaseDetail => {
    expect(r.statusCode, r.body).toBe(200);
    return r.json<{ case: CaseDetail }>().case;
  };
  const auditOf = (action: string, caseId: number) =>
    t.ctx.database.db
      .selectFrom('audit_log')
      .select(['actor_name', 'after'])
      .where('action', '=', action)
      .where('entity_type', '=', 'case')
      .where('entity_id', '=', String(caseId))
      .execute();
  const feeAnomalies = async (): Promise<Anomaly[]> => {
    const r = await call('supervisor', 'GET', '/api/v1/supervision/anomalies');
    expect(r.statusCode, r.body).toBe(200);
    return r.json<Anomaly[]>().filter((a) => a.rule === 'feeOutsideRules');
  };

  /** A complete window intake at 武昌区, submitted (and accepted unless told otherwise). */
  const windowCase = async (title: string, accept = true): Promise<CaseDetail> => {
    const created = await call('wuchang.window', 'POST', '/api/v1/cases', {
      matterCode: MATTER,
      divisionCode: '420106',
      applicant: { name: '武昌区某街道办事处', phone: '13912340077' },
      form: { ...form, projectName: title },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<CaseDetail>().id;
    const zip = zipSync({
      ...Object.fromEntries(required.map((k) => [`${k}/${k}.pdf`, new Uint8Array(pdfBytes(k))])),
      'data/jzd.txt': new Uint8Array(coordinates),
    });
    const body = multipartBody([{ name: 'file', filename: 'package.zip', data: Buffer.from(zip) }]);
    const pkg = await t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${id}/package`,
      headers: { ...(await headersOf('wuchang.window')), ...body.headers },
      payload: body.payload,
    });
    expect(pkg.statusCode, pkg.body).toBe(201);
    const packed = pkg.json<{ case: CaseDetail }>().case;
    const submitted = await call('wuchang.window', 'POST', `/api/v1/cases/${id}/submit`, { version: packed.version });
    expect(submitted.statusCode, submitted.body).toBe(200);
    const s = submitted.json<{ case: CaseDetail }>().case;
    if (!accept) return s;
    const accepted = await call('wuchang.window', 'POST', `/api/v1/cases/${id}/accept`, { version: s.version });
    expect(accepted.statusCode, accepted.body).toBe(200);
    return accepted.json<{ case: CaseDetail }>().case;
  };

  let charged: CaseDetail;
  let clean: CaseDetail;

  it('records a fee in one audited change: the fee on the case, the version moved on, the event', async () => {
    charged = await windowCase('不收费事项收了费');
    expect(charged.status).toBe('inReview');
    expect(charged.fees).toEqual([]);
    expect(charged.actions).toContain('recordFee');
    const r = await recordFee(charged, { itemName: ' 工本费 ', amount: 20.5, note: '现金' });
    expect(r.statusCode, r.body).toBe(200);
    const after = r.json<{ case: CaseDetail }>().case;
    expect(after.version).toBe(charged.version + 1);
    expect(after.fees).toHaveLength(1);
    expect(after.fees[0]).toMatchObject({ itemName: '工本费', amount: '20.50', basis: null, note: '现金' });
    const recorder = await t.ctx.database.db
      .selectFrom('users')
      .select('display_name')
      .where('username', '=', 'wuchang.window')
      .executeTakeFirstOrThrow();
    expect(after.fees[0]?.recordedBy).toBe(recorder.display_name);
    const event = after.events.find((e) => e.type === 'feeRecorded');
    expect(event?.data).toMatchObject({ feeId: after.fees[0]?.id, itemName: '工本费', amount: '20.50' });
    expect(event?.actorName).toBe('wuchang.window');
    const audit = await t.ctx.database.db
      .selectFrom('audit_log')
      .select(['actor_name', 'after'])
      .where('action', '=', 'case.feeRecorded')
      .where('entity_type', '=', 'case')
      .where('entity_id', '=', String(charged.id))
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actor_name).toBe('wuchang.window');
    expect(audit[0]?.after).toMatchObject({ itemName: '工本费', amount: '20.50' });
    charged = after;
  });

  it('refuses bad input naming the field, a stale version, the wrong people and states — and changes nothing', async () => {
    const before = await detail(charged.id);
    const bad = await recordFee(before, { itemName: '  ', amount: -5 });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json<ErrorBody>()
        .details.map((d) => d.path)
        .sort(),
    ).toEqual(['body.amount', 'body.itemName']);
    const fen = await recordFee(before, { itemName: '工本费', amount: 1.005 });
    expect(fen.statusCode).toBe(400);
    expect(fen.json<ErrorBody>().details.map((d) => d.path)).toEqual(['body.amount']);
    const notNumber = await recordFee(before, { itemName: '工本费', amount: 'twenty' });
    expect(notNumber.statusCode).toBe(400);
    expect(notNumber.json<ErrorBody>().details.map((d) => d.path)).toEqual(['body.amount']);
    const longNote = await recordFee(before, { itemName: '工本费', amount: 1, note: 'x'.repeat(2001) });
    expect(longNote.json<ErrorBody>().details.map((d) => d.path)).toEqual(['body.note']);
    // a stale version: someone changed the case meanwhile
    const stale = await recordFee({ id: before.id, version: before.version - 1 }, { itemName: '工本费', amount: 20 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json<ErrorBody>().code).toBe('CONFLICT');
    // a handler reads the case but takes no money
    const handler = await recordFee(before, { itemName: '工本费', amount: 20 }, 'wuhan.handler');
    expect(handler.statusCode).toBe(403);
    const after = await detail(charged.id);
    expect(after.version).toBe(before.version);
    expect(after.fees).toEqual(before.fees);
    expect(after.events.filter((e) => e.type === 'feeRecorded')).toHaveLength(1);
    // not before acceptance
    const waiting = await windowCase('尚未受理', false);
    expect(waiting.actions).not.toContain('recordFee');
    const early = await recordFee(waiting, { itemName: '工本费', amount: 20 });
    expect(early.statusCode).toBe(409);
    expect(early.json<ErrorBody>().code).toBe('INVALID_STATE');
    expect((await detail(waiting.id)).fees).toEqual([]);
  });

  it('flags a fee on a matter that charges nothing as feeOutsideRules, once; a case without fees raises none', async () => {
    clean = await windowCase('未收费');
    const list = await feeAnomalies();
    const mine = list.filter((a) => a.caseNumber === charged.caseNumber);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      instanceId: charged.workflowInstanceId,
      byUser: 'wuchang.window',
      detail: 'fee 工本费 20.50: the matter charges no fee',
    });
    expect(list.filter((a) => a.caseNumber === clean.caseNumber)).toEqual([]);
    // the rule filter gives the same
    const filtered = await call('supervisor', 'GET', '/api/v1/supervision/anomalies?rule=feeOutsideRules');
    expect(filtered.json<Anomaly[]>().map((a) => a.caseNumber)).toEqual(list.map((a) => a.caseNumber));
  });

  it('under a charging matter version: flags an unlisted item and a different plain amount, not a text amount', async () => {
    // publish a version of the matter that charges: one item with a plain amount, one by a standard
    const current = (await call('admin', 'GET', `/api/v1/matters/${MATTER}/versions/${charged.matterVersion}`)).json<{
      spec: Record<string, unknown>;
    }>();
    const spec = {
      ...current.spec,
      fees: {
        charged: true,
        items: [
          { name: '工本费', basis: '测试收费文件〔2026〕1号', amount: '20元' },
          { name: '测绘成果使用费', basis: '测试收费文件〔2026〕2号', amount: '按省物价局核定标准' },
        ],
      },
    };
    const saved = await call('admin', 'PUT', `/api/v1/matters/${MATTER}/draft`, { spec });
    expect(saved.statusCode, saved.body).toBe(200);
    const published = await call('admin', 'POST', `/api/v1/matters/${MATTER}/publish`);
    expect(published.statusCode, published.body).toBe(200);

    let c = await windowCase('收费事项');
    expect(c.matterVersion).toBeGreaterThan(charged.matterVersion);
    const fees: Array<[string, number]> = [
      ['工本费', 20],
      ['工本费', 25],
      ['测绘成果使用费', 999.99],
      ['咨询费', 10],
    ];
    for (const [itemName, amount] of fees) {
      const r = await recordFee(c, { itemName, amount });
      expect(r.statusCode, r.body).toBe(200);
      c = r.json<{ case: CaseDetail }>().case;
    }
    // the matter's basis is taken when the window gives none
    expect(c.fees.map((f) => f.basis)).toEqual([
      '测试收费文件〔2026〕1号',
      '测试收费文件〔2026〕1号',
      '测试收费文件〔2026〕2号',
      null,
    ]);
    const mine = (await feeAnomalies()).filter((a) => a.caseNumber === c.caseNumber).map((a) => a.detail);
    expect(mine.sort()).toEqual([
      'fee 咨询费 10.00: not a fee item of the matter',
      'fee 工本费 25.00: the matter sets 20',
    ]);
    // the earlier case keeps its own matter version's rule
    expect((await feeAnomalies()).filter((a) => a.caseNumber === charged.caseNumber)).toHaveLength(1);
  });

  // ---- 作废/更正 (the matter version published above charges 工本费 20元) ----------------------

  let recorder = '';
  const lastFee = (c: CaseDetail): CaseFeeView => {
    const fee = c.fees.at(-1);
    if (!fee) throw new Error(`case ${c.id} has no fee`);
    return fee;
  };

  it('corrects a wrong amount: the record voided with its reason and the right one recorded in one audited change; the anomaly is gone', async () => {
    recorder = (
      await t.ctx.database.db
        .selectFrom('users')
        .select('display_name')
        .where('username', '=', 'wuchang.window')
        .executeTakeFirstOrThrow()
    ).display_name;
    let c = caseOf(await recordFee(await windowCase('收费更正'), { itemName: '工本费', amount: 25, note: '现金' }));
    const wrong = lastFee(c);
    const mine = async () => (await feeAnomalies()).filter((a) => a.caseNumber === c.caseNumber).map((a) => a.detail);
    expect(await mine()).toEqual(['fee 工本费 25.00: the matter sets 20']);

    const r = await voidFee(c, wrong.id, {
      reason: ' 金额登记错误，实收20元 ',
      correction: { itemName: '工本费', amount: 20, note: '现金' },
    });
    const after = caseOf(r);
    expect(after.version).toBe(c.version + 1);
    expect(after.fees).toHaveLength(2);
    const [voided, corrected] = after.fees;
    expect(voided).toMatchObject({
      id: wrong.id,
      amount: '25.00',
      voidedBy: recorder,
      voidReason: '金额登记错误，实收20元',
      corrects: null,
    });
    expect(voided?.voidedAt).not.toBeNull();
    expect(voided?.correctedBy).toBe(corrected?.id);
    // the corrected record is the money taken then: same collection time, the matter's basis
    expect(corrected).toMatchObject({
      itemName: '工本费',
      amount: '20.00',
      basis: '测试收费文件〔2026〕1号',
      note: '现金',
      recordedBy: recorder,
      corrects: wrong.id,
      correctedBy: null,
      voidedAt: null,
      collectedAt: wrong.collectedAt,
    });
    const voidEvent = after.events.find((e) => e.type === 'feeVoided');
    expect(voidEvent?.actorName).toBe('wuchang.window');
    expect(voidEvent?.data).toMatchObject({
      feeId: wrong.id,
      itemName: '工本费',
      amount: '25.00',
      reason: '金额登记错误，实收20元',
      correctedBy: corrected?.id,
    });
    const recorded = after.events.filter((e) => e.type === 'feeRecorded').at(-1);
    expect(recorded?.data).toMatchObject({ feeId: corrected?.id, amount: '20.00', corrects: wrong.id });
    const audit = await auditOf('case.feeVoided', c.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_name: 'wuchang.window', after: { feeId: wrong.id } });
    expect(await auditOf('case.feeRecorded', c.id)).toHaveLength(2);
    c = after;
    // the voided record counts for nothing; the corrected one is within the matter's rules
    expect(await mine()).toEqual([]);
  });

  it('voids a fee without a correction: it stays listed, counts for nothing; a second void and a fee of another case are refused', async () => {
    let c = caseOf(await recordFee(await windowCase('收费作废'), { itemName: '咨询费', amount: 10 }));
    const fee = lastFee(c);
    const flagged = async () => (await feeAnomalies()).filter((a) => a.caseNumber === c.caseNumber);
    expect(await flagged()).toHaveLength(1);
    c = caseOf(await voidFee(c, fee.id, { reason: '误收，已退还申请人' }));
    expect(c.fees).toEqual([
      expect.objectContaining({ id: fee.id, voidReason: '误收，已退还申请人', voidedBy: recorder, correctedBy: null }),
    ]);
    expect(c.actions).toContain('recordFee');
    expect(await flagged()).toEqual([]);
    // once voided, always voided: a second void is a state error, nothing moves
    const again = await voidFee(c, fee.id, { reason: '再次作废' });
    expect(again.statusCode).toBe(409);
    expect(again.json<ErrorBody>().code).toBe('INVALID_STATE');
    // the fee id of another case is not found on this one
    const elsewhere = await voidFee(c, charged.fees[0]?.id ?? 0, { reason: '不是本案的' });
    expect(elsewhere.statusCode).toBe(404);
    const unchanged = await detail(c.id);
    expect(unchanged.version).toBe(c.version);
    expect(unchanged.events.filter((e) => e.type === 'feeVoided')).toHaveLength(1);
    // the row keeps who voided it and why
    const own = await t.ctx.database.db
      .selectFrom('case_fees')
      .select(['voided_by', 'void_reason'])
      .where('id', '=', fee.id)
      .executeTakeFirstOrThrow();
    expect(own.void_reason).toBe('误收，已退还申请人');
    expect(own.voided_by).not.toBeNull();
  });

  it('refuses a void without a reason, a bad correction, a stale version and the wrong people — naming the fields, changing nothing', async () => {
    const c = caseOf(await recordFee(await windowCase('收费作废校验'), { itemName: '工本费', amount: 20 }));
    const fee = lastFee(c);
    const paths = async (body: object) => {
      const r = await voidFee(c, fee.id, body);
      expect(r.statusCode, r.body).toBe(400);
      return r
        .json<ErrorBody>()
        .details.map((d) => d.path)
        .sort();
    };
    expect(await paths({})).toEqual(['body.reason']);
    expect(await paths({ reason: '   ' })).toEqual(['body.reason']);
    expect(await paths({ reason: 'x'.repeat(2001) })).toEqual(['body.reason']);
    // every problem at once: no reason and a correction with a blank item and an amount in thirds of a fen
    expect(await paths({ reason: ' ', correction: { itemName: ' ', amount: 20.005 } })).toEqual([
      'body.correction.amount',
      'body.correction.itemName',
      'body.reason',
    ]);
    expect(await paths({ reason: '错', correction: { itemName: '工本费' } })).toEqual(['body.correction.amount']);
    const stale = await voidFee({ id: c.id, version: c.version - 1 }, fee.id, { reason: '金额错误' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json<ErrorBody>().code).toBe('CONFLICT');
    // a handler reads the case but takes (and voids) no money; another county's window does not see it
    expect((await voidFee(c, fee.id, { reason: '金额错误' }, 'wuhan.handler')).statusCode).toBe(403);
    const jiangan = await t.ctx.database.db
      .selectFrom('org_units')
      .select('id')
      .where('division_code', '=', '420102')
      .executeTakeFirstOrThrow();
    await createUserAsSystem(t.ctx.database.db, {
      username: 'jiangan.window',
      displayName: '江岸区窗口',
      password: DEMO_PASSWORD,
      orgId: jiangan.id,
      roles: ['window_clerk'],
    });
    const outOfScope = await voidFee(c, fee.id, { reason: '金额错误' }, 'jiangan.window');
    expect(outOfScope.statusCode).toBe(404);
    expect(outOfScope.json<ErrorBody>().code).toBe('NOT_FOUND');
    const after = await detail(c.id);
    expect(after.version).toBe(c.version);
    expect(after.fees).toEqual(c.fees);
    expect(after.events.filter((e) => e.type === 'feeVoided')).toEqual([]);
  });

  it('refuses voiding a fee of an archived case (read-only) and the database refuses editing a fee in place', async () => {
    const c = caseOf(await recordFee(await windowCase('已归档收费'), { itemName: '工本费', amount: 20 }));
    const fee = lastFee(c);
    // archiving needs the whole review (story.int.test.ts); the state guard is what is tested here
    await t.ctx.database.db
      .updateTable('cases')
      .set({ status: 'archived', archived_at: new Date() })
      .where('id', '=', c.id)
      .execute();
    const archived = await detail(c.id);
    expect(archived.actions).not.toContain('recordFee');
    const r = await voidFee(archived, fee.id, {
      reason: '归档后发现金额错误',
      correction: { itemName: '工本费', amount: 2 },
    });
    expect(r.statusCode).toBe(409);
    expect(r.json<ErrorBody>().code).toBe('INVALID_STATE');
    expect((await detail(c.id)).fees).toEqual(c.fees);
    // a financial record: no code path, hand-written SQL included, rewrites or deletes it
    const db = t.ctx.database.db;
    await expect(sql`update case_fees set amount = 2 where id = ${fee.id}`.execute(db)).rejects.toThrow(
      /cannot be edited in place/,
    );
    await expect(sql`delete from case_fees where id = ${fee.id}`.execute(db)).rejects.toThrow(/cannot be deleted/);
    expect((await detail(c.id)).fees[0]?.amount).toBe('20.00');
  });
});
