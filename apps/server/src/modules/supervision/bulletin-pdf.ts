import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { toShanghaiDate } from '@guotu/domain';
import type { Bulletin } from './bulletin-service.ts';

// Source Han Sans SC (思源黑体, SIL OFL 1.1) from the npm package node-source-han-sans-sc — no
// system fonts. pdfkit embeds only the glyphs used. Read once per process (17 MB).
const require = createRequire(import.meta.url);
let fontBytes: Buffer | undefined;
function cjkFont(): Buffer {
  fontBytes ??= readFileSync(require.resolve('node-source-han-sans-sc/SourceHanSansSC-Regular.otf'));
  return fontBytes;
}

const kindNames: Record<string, string> = {
  supervisionOrder: '督办单',
  explanation: '说明原因',
  rectification: '限期整改',
};
const statusNames: Record<string, string> = { issued: '待回复', replied: '已回复', closed: '已办结' };
const pct = (v: number | null) => (v === null ? '—' : `${v}%`);
const num = (v: number | null) => (v === null ? '—' : String(v));
const day = (iso: string | null) => (iso === null ? '—' : toShanghaiDate(iso));

/** A table as fixed columns of text; a new page when the page is full. */
function table(doc: PDFKit.PDFDocument, headers: string[], widths: number[], rows: string[][]): void {
  const left = doc.page.margins.left;
  const draw = (cells: string[], bold: boolean) => {
    if (doc.y > doc.page.height - doc.page.margins.bottom - 20) doc.addPage();
    const y = doc.y;
    let x = left;
    cells.forEach((cell, i) => {
      doc
        .fillColor(bold ? '#1f3a5f' : '#000')
        .text(cell, x, y, { width: (widths[i] ?? 60) - 4, lineBreak: false, ellipsis: true });
      x += widths[i] ?? 60;
    });
    doc.x = left;
    doc.y = y + 16;
  };
  draw(headers, true);
  for (const row of rows) draw(row, false);
  if (rows.length === 0) draw(['（无）'], false);
  doc.moveDown(0.6);
}

/** The bulletin as a PDF (A4), in Chinese. */
export async function renderBulletinPdf(b: Bulletin): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 48,
    info: { Title: `电子监察通报 ${b.period.label}`, Author: '省自然资源厅纪检监察室' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', cjkFont());
  doc.font('cjk');
  doc.fontSize(18).text('电子监察通报', { align: 'center' });
  doc.fontSize(11).text(`${b.period.label} ${b.period.from} 至 ${b.period.to}`, { align: 'center' }).moveDown();
  const t = b.totals;
  doc.fontSize(12).text('一、总体情况').fontSize(10).moveDown(0.3);
  doc.text(
    `办结环节 ${t.finishedSteps} 个，按时办结 ${t.onTime} 个，按时办结率 ${pct(t.onTimeRate)}，平均用时 ${num(t.averageWorkingDays)} 个工作日。`,
  );
  doc
    .text(
      `预警（黄牌）${t.warnings} 次，超时（红牌）${t.overdue} 次；下发督办 ${t.ordersIssued} 件，办结督办 ${t.ordersClosed} 件。`,
    )
    .moveDown();
  doc.fontSize(12).text('二、各处室情况').fontSize(9).moveDown(0.3);
  table(
    doc,
    ['处室', '办结', '按时率', '平均工作日', '黄牌', '红牌', '督办', '效能分'],
    [120, 45, 55, 65, 40, 40, 40, 50],
    b.byOffice.map((o) => [
      o.orgName,
      String(o.finishedSteps),
      pct(o.onTimeRate),
      num(o.averageWorkingDays),
      String(o.warnings),
      String(o.overdue),
      String(o.orders),
      num(o.score),
    ]),
  );
  doc.fontSize(12).text('三、超时清单').fontSize(9).moveDown(0.3);
  table(
    doc,
    ['案件编号', '环节', '处室', '承办人', '时限', '办结'],
    [110, 90, 100, 60, 70, 70],
    b.overdueList.map((o) => [
      o.caseNumber ?? '—',
      o.step ?? '—',
      o.orgName,
      o.handler ?? '—',
      day(o.dueAt),
      day(o.completedAt),
    ]),
  );
  doc.fontSize(12).text('四、督办情况').fontSize(9).moveDown(0.3);
  table(
    doc,
    ['编号', '类别', '处室', '案件', '状态', '按时回复'],
    [90, 65, 100, 110, 60, 70],
    b.orders.map((o) => [
      o.number,
      kindNames[o.kind] ?? o.kind,
      o.orgName,
      o.caseNumber ?? '—',
      statusNames[o.status] ?? o.status,
      o.repliedOnTime === null ? '—' : o.repliedOnTime ? '是' : '否',
    ]),
  );
  doc.fontSize(12).text('五、个人效能').fontSize(9).moveDown(0.3);
  table(
    doc,
    ['姓名', '处室', '办结', '按时率', '平均工作日', '效能分'],
    [90, 120, 50, 60, 70, 60],
    b.people.map((p) => [
      p.name,
      p.orgName,
      String(p.finishedSteps),
      pct(p.onTimeRate),
      num(p.averageWorkingDays),
      num(p.score),
    ]),
  );
  const w = b.weights;
  doc
    .fontSize(8)
    .fillColor('#555')
    .text(
      `效能分权重：按时 ${w.onTime}，无预警 ${w.noWarning}，速度 ${w.speed}，督办 ${w.orders}。生成时间 ${b.generatedAt}`,
    );
  doc.end();
  return done;
}
