import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDetail } from '@guotu/contracts';
import { createTestApp, engines, type TestApp } from '../../../test/harness.ts';
import { multipartBody, pdfBytes } from '../blobs/test-files.ts';
import { coordinates, landConversionForm, MATTER, REQUIRED_PDFS, staffSessions } from './test-support.ts';

/**
 * 收费登记 and the supervision rule that checks it (feeOutsideRules): a fee is recorded in one
 * audited transaction, bad input names its field and changes nothing, a stale version is a
 * conflict; supervision flags a fee the matter does not allow, once, and nothing else.
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
});
