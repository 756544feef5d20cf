import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { AppError } from '@guotu/domain';
import { renderCaseDocument, type CaseDocumentInput } from './documents-pdf.ts';

const hasPdftotext = spawnSync('pdftotext', ['-v']).error === undefined;

const base: Omit<CaseDocumentInput, 'kind'> = {
  issuerName: '武汉市武昌区自然资源和规划局',
  applicantName: '武汉城建安居置业有限公司',
  matterName: '建设用地规划许可证核发',
  title: '武昌区白沙洲片区安置房建设项目',
  caseNumber: '420106-2026-000001',
  receiptRef: 'SJ-420106-20261116-0007',
  receivedAt: '2026-11-16T02:30:00Z',
  issuedAt: '2026-11-22T17:30:00Z', // 2026-11-23 01:30 in Shanghai
  verificationCode: 'K7MX3PQRT9WZ2HAB',
  verifyUrl: 'https://zwfw.example.gov.cn/portal/verify?code=K7MX3PQRT9WZ2HAB',
};

const inputs: Record<CaseDocumentInput['kind'], CaseDocumentInput> = {
  acceptanceNotice: { ...base, kind: 'acceptanceNotice', queryCode: 'X4K9MP2R', dueDate: '2026-12-21' },
  supplementNotice: {
    ...base,
    kind: 'supplementNotice',
    caseNumber: null,
    supplementItems: [
      { materialName: '界址点坐标成果表', message: '坐标文件第12行缺少Y坐标，请按2000国家大地坐标系重新提供。' },
      { materialName: null, message: '申请表中用地面积与界址点坐标计算面积不一致，请核实后一并更正。' },
    ],
  },
  refusalDecision: {
    ...base,
    kind: 'refusalDecision',
    caseNumber: null,
    reasons: '申请事项依法不属于本机关职权范围，应向武汉市自然资源和规划局提出申请。',
  },
  approvalReply: {
    ...base,
    kind: 'approvalReply',
    issuerName: '湖北省自然资源厅',
    documentNumber: '鄂自然资批〔2026〕1号',
    legalBasis: ['《中华人民共和国土地管理法》第四十四条。'],
    opinion: '一、同意该项目使用国有建设用地11.8公顷。\n二、请严格按照批准的用途和面积使用土地。',
  },
  disapprovalDecision: {
    ...base,
    kind: 'disapprovalDecision',
    issuerName: '湖北省自然资源厅',
    reasons: '项目用地范围占用永久基本农田3.2公顷，不符合《中华人民共和国土地管理法》第三十五条的规定。',
  },
};

/** The text of the PDF (or of one page), all white space removed: a phrase wrapped over two lines still matches. */
function text(pdf: Buffer, page?: number): string {
  const args = page === undefined ? ['-', '-'] : ['-f', String(page), '-l', String(page), '-', '-'];
  const r = spawnSync('pdftotext', args, { input: pdf, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pdftotext failed: ${r.stderr}`);
  return r.stdout.replace(/\s+/g, '');
}
const squeeze = (s: string) => s.replace(/\s+/g, '');

async function refusal(input: CaseDocumentInput): Promise<AppError> {
  try {
    await renderCaseDocument(input);
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected the input to be refused');
}

describe.runIf(hasPdftotext)('case documents: what the PDF says (read back with pdftotext)', () => {
  it('受理通知书: title, case number, query code, due date, §32, verification on the page', async () => {
    const t = text(await renderCaseDocument(inputs.acceptanceNotice));
    for (const s of [
      '武汉市武昌区自然资源和规划局',
      '受理通知书',
      '武汉城建安居置业有限公司：',
      '受理编号：420106-2026-000001',
      '查询码：X4K9MP2R',
      '预计办结日期：2026年12月21日',
      '《中华人民共和国行政许可法》第三十二条第一款第（五）项',
      '决定予以受理',
      '2026年11月16日',
      '2026年11月23日', // issuedAt in Shanghai, not the UTC day
      '验证码：K7MX3PQRT9WZ2HAB',
      'https://zwfw.example.gov.cn/portal/verify?code=K7MX3PQRT9WZ2HAB',
      '第1页共1页',
    ])
      expect(t, s).toContain(squeeze(s));
  });

  it('补正材料通知书: the items numbered, the receipt reference before acceptance', async () => {
    const t = text(await renderCaseDocument(inputs.supplementNotice));
    for (const s of [
      '补正材料通知书',
      '收件编号：SJ-420106-20261116-0007',
      '第三十二条第一款第（四）项',
      '一次告知',
      '1.界址点坐标成果表：坐标文件第12行缺少Y坐标，请按2000国家大地坐标系重新提供。',
      '2.申请表中用地面积与界址点坐标计算面积不一致，请核实后一并更正。',
      '验证码：K7MX3PQRT9WZ2HAB',
    ])
      expect(t, s).toContain(squeeze(s));
    expect(t).not.toContain('420106-2026-000001');
  });

  it('不予受理决定书: the reasons and the remedies (复议 60 days, 诉讼 6 months), or no remedies when asked', async () => {
    const t = text(await renderCaseDocument(inputs.refusalDecision));
    for (const s of [
      '不予受理决定书',
      '收件编号：SJ-420106-20261116-0007',
      '申请事项依法不属于本机关职权范围，应向武汉市自然资源和规划局提出申请。',
      '决定不予受理',
      '六十日内依法申请行政复议',
      '六个月内依法向人民法院提起行政诉讼',
      '验证码：K7MX3PQRT9WZ2HAB',
    ])
      expect(t, s).toContain(squeeze(s));
    const quiet = text(await renderCaseDocument({ ...inputs.refusalDecision, remedies: false }));
    expect(quiet).toContain('决定不予受理');
    expect(quiet).not.toContain('行政复议');
  });

  it('批复: red masthead with the 文号, 关于…的批复, the opinion, §38 and the further basis', async () => {
    const t = text(await renderCaseDocument(inputs.approvalReply));
    for (const s of [
      '湖北省自然资源厅',
      '鄂自然资批〔2026〕1号',
      '关于武昌区白沙洲片区安置房建设项目建设用地规划许可证核发的批复',
      '受理编号：420106-2026-000001',
      '第三十八条第一款和《中华人民共和国土地管理法》第四十四条的规定',
      '一、同意该项目使用国有建设用地11.8公顷。',
      '二、请严格按照批准的用途和面积使用土地。',
      '此复。',
      '验证码：K7MX3PQRT9WZ2HAB',
    ])
      expect(t, s).toContain(squeeze(s));
    expect(t).not.toContain('行政复议');
  });

  it('不予批准决定书: the reasons, §38 second paragraph and the remedies', async () => {
    const t = text(await renderCaseDocument(inputs.disapprovalDecision));
    for (const s of [
      '不予批准决定书',
      '受理编号：420106-2026-000001',
      '项目用地范围占用永久基本农田3.2公顷',
      '第三十八条第二款',
      '决定不予批准',
      '六十日内依法申请行政复议',
      '六个月内依法向人民法院提起行政诉讼',
      '验证码：K7MX3PQRT9WZ2HAB',
    ])
      expect(t, s).toContain(squeeze(s));
  });

  it('puts the number, the verification code and 第n页共m页 on every page of a long notice', async () => {
    const pdf = await renderCaseDocument({
      ...inputs.supplementNotice,
      caseNumber: '420106-2026-000009',
      supplementItems: Array.from({ length: 30 }, (_, i) => ({
        materialName: `材料${i + 1}`,
        message: '请补充提交该材料的原件扫描件，并加盖申请单位公章。',
      })),
    });
    const pages = Number(
      /Pages:\s+(\d+)/.exec(spawnSync('pdfinfo', ['-'], { input: pdf, encoding: 'utf8' }).stdout)?.[1],
    );
    expect(pages).toBeGreaterThan(1);
    for (let p = 1; p <= pages; p++) {
      const t = text(pdf, p);
      expect(t).toContain('受理编号：420106-2026-000009');
      expect(t).toContain('验证码：K7MX3PQRT9WZ2HAB');
      expect(t).toContain(`第${p}页共${pages}页`);
    }
    expect(text(pdf)).toContain(squeeze('30.材料30：请补充提交该材料的原件扫描件'));
  });
});

describe('case documents: bytes and validation', () => {
  it('gives the same bytes for the same input, dated by issuedAt', async () => {
    const a = await renderCaseDocument(inputs.refusalDecision);
    const b = await renderCaseDocument(inputs.refusalDecision);
    expect(a.subarray(0, 8).toString('latin1')).toBe('%PDF-1.3');
    expect(b.equals(a)).toBe(true);
    if (hasPdftotext) {
      // pdfinfo comes with pdftotext (poppler-utils)
      const info = spawnSync('pdfinfo', ['-isodates', '-'], { input: a, encoding: 'utf8' }).stdout;
      expect(info).toMatch(/CreationDate:\s+2026-11-22T17:30:00(Z|\+00)/);
      expect(info).toMatch(/Title:\s+不予受理决定书/);
    }
    const later = await renderCaseDocument({ ...inputs.refusalDecision, issuedAt: '2026-11-24T02:00:00Z' });
    expect(later.equals(a)).toBe(false);
  });

  it('gives the same bytes rendered alone or alongside other documents (the parsed fonts are shared)', async () => {
    const alone = await renderCaseDocument(inputs.acceptanceNotice);
    // each document subsets the shared fonts itself: no glyph of another document gets into its fonts
    const together = await Promise.all(Object.values(inputs).map((input) => renderCaseDocument(input)));
    expect(together[0]?.equals(alone)).toBe(true);
    expect(together.slice(1).every((pdf) => !pdf.equals(alone))).toBe(true);
    expect((await renderCaseDocument(inputs.acceptanceNotice)).equals(alone)).toBe(true);
  });

  it('refuses a refusal without reasons, and what else a kind needs', async () => {
    const noReason = await refusal({ ...inputs.refusalDecision, reasons: '  ' });
    expect(noReason.code).toBe('VALIDATION_FAILED');
    expect(noReason.details).toEqual([{ path: 'reasons', message: expect.stringContaining('reasons') as string }]);
    const cases: Array<[CaseDocumentInput, string]> = [
      [{ ...inputs.disapprovalDecision, reasons: undefined }, 'reasons'],
      [{ ...inputs.disapprovalDecision, remedies: false }, 'remedies'],
      [{ ...inputs.acceptanceNotice, queryCode: undefined }, 'queryCode'],
      [{ ...inputs.acceptanceNotice, caseNumber: null }, 'caseNumber'],
      [{ ...inputs.acceptanceNotice, dueDate: '21.12.2026' }, 'dueDate'],
      [{ ...inputs.supplementNotice, supplementItems: [] }, 'supplementItems'],
      [
        { ...inputs.supplementNotice, supplementItems: [{ materialName: 'x', message: '' }] },
        'supplementItems.0.message',
      ],
      [{ ...inputs.approvalReply, documentNumber: undefined }, 'documentNumber'],
      [{ ...inputs.approvalReply, opinion: '' }, 'opinion'],
      [{ ...inputs.approvalReply, issuedAt: 'tomorrow' }, 'issuedAt'],
      [{ ...inputs.approvalReply, verifyUrl: 'https://zwfw.example.gov.cn/portal/verify?code=OTHER' }, 'verifyUrl'],
      [{ ...inputs.approvalReply, applicantName: '' }, 'applicantName'],
    ];
    for (const [input, path] of cases) {
      const e = await refusal(input);
      expect(e.code, path).toBe('VALIDATION_FAILED');
      expect(e.details.map((d) => d.path)).toEqual([path]);
    }
  });
});
