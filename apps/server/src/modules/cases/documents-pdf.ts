/**
 * The documents a case issues (docs/cases.md): 受理通知书, 补正材料通知书, 不予受理决定书, the 批复
 * and the 不予批准决定书, as A4 PDFs laid out like the paper ones — issuer and title centred (the
 * decisions under a red masthead with the 文号 and a red rule, after GB/T 9704), the addressee,
 * body paragraphs indented two characters citing 《中华人民共和国行政许可法》 (§32 at acceptance,
 * §38 for decisions), the missing materials numbered, the remedies (行政复议 60 days, 行政诉讼 6
 * months) on refusals, the issuer and date at the bottom right, and on every page a footer with
 * the verification code, the verify URL, the case number (or the receipt reference before
 * acceptance) and 第 n 页 共 m 页.
 *
 * Fonts: Source Han Sans SC Regular and Bold (SIL OFL 1.1) from the npm package
 * node-source-han-sans-sc, never system fonts; pdfkit embeds only the glyphs used.
 *
 * Deterministic: pdfkit takes CreationDate/ModDate from `info` (set here to issuedAt) and derives
 * the file /ID from the info dictionary, and its font subsets carry no random tags, so the same
 * input gives the same bytes (documents-pdf.test.ts checks it).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { AppError, toShanghaiDate, type AppErrorDetail } from '@guotu/domain';

export type CaseDocumentKind =
  'acceptanceNotice' | 'supplementNotice' | 'refusalDecision' | 'approvalReply' | 'disapprovalDecision';

export interface CaseDocumentInput {
  kind: CaseDocumentKind;
  /** e.g. 武汉市武昌区自然资源和规划局 / 湖北省自然资源厅 */
  issuerName: string;
  applicantName: string;
  matterName: string;
  /** project name */
  title: string;
  /** null before acceptance (the supplement notice and the refusal print the receipt reference) */
  caseNumber: string | null;
  /** 收件编号, always present */
  receiptRef: string;
  /** ISO */
  receivedAt: string;
  /** ISO; printed as 2026年11月23日 (Asia/Shanghai) */
  issuedAt: string;
  verificationCode: string;
  /** full URL printed in the footer; must carry the verification code */
  verifyUrl: string;
  /** acceptanceNotice only (required there) */
  queryCode?: string;
  /** acceptanceNotice: 预计办结 date, YYYY-MM-DD */
  dueDate?: string;
  /** further citations, e.g. 《中华人民共和国土地管理法》第四十四条, added to the 行政许可法 article */
  legalBasis?: string[];
  /** supplementNotice (required there, at least one) */
  supplementItems?: Array<{ materialName: string | null; message: string }>;
  /** refusalDecision / disapprovalDecision (required there) */
  reasons?: string;
  /** 文号, e.g. 鄂自然资批〔2026〕1号: required for approvalReply, optional for disapprovalDecision */
  documentNumber?: string;
  /** approvalReply (required there): the decision's content; blank lines separate paragraphs */
  opinion?: string;
  /**
   * The 复议/诉讼 notice on refusalDecision and disapprovalDecision: printed unless false. A
   * disapproval must carry it (行政许可法 §38 second paragraph), so false is refused there.
   * Ignored on the other kinds.
   */
  remedies?: boolean;
}

const require = createRequire(import.meta.url);
/**
 * pdfkit re-parses a font given as a path or a Buffer in every document (PDFFontFactory.open runs
 * fontkit.create on it: cmap, CFF and layout tables of a 17 MB CJK font, about half of a
 * document's time). Given a parsed fontkit font (anything with `layout`) it uses that, so each
 * weight is parsed once per process and kept; every document makes its own subset of it. fontkit
 * is pdfkit's own dependency, loaded from where pdfkit resolves it (the version pdfkit expects).
 */
const fontkit = createRequire(require.resolve('pdfkit'))('fontkit') as { create(data: Buffer): unknown };
const fonts: { regular?: unknown; bold?: unknown } = {};
function font(weight: 'regular' | 'bold'): PDFKit.Mixins.PDFFontSource {
  const file = weight === 'bold' ? 'SourceHanSansSC-Bold.otf' : 'SourceHanSansSC-Regular.otf';
  fonts[weight] ??= fontkit.create(readFileSync(require.resolve(`node-source-han-sans-sc/${file}`)));
  // @types/pdfkit lists paths and bytes only; pdfkit takes a fontkit font as well (see above)
  return fonts[weight] as PDFKit.Mixins.PDFFontSource;
}

const law = '《中华人民共和国行政许可法》';
const remedyText =
  '如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，或者自收到本决定书之日起六个月内依法向人民法院提起行政诉讼' +
  '（《中华人民共和国行政复议法》第二十条、《中华人民共和国行政诉讼法》第四十六条）。';

const titles: Record<CaseDocumentKind, string> = {
  acceptanceNotice: '受理通知书',
  supplementNotice: '补正材料通知书',
  refusalDecision: '不予受理决定书',
  approvalReply: '批复',
  disapprovalDecision: '不予批准决定书',
};

const blank = (v: unknown) => typeof v !== 'string' || v.trim() === '';
const validInstant = (v: unknown) => typeof v === 'string' && v.trim() !== '' && Number.isFinite(Date.parse(v));

/** Every problem of the input for its kind, or none. */
function problems(input: CaseDocumentInput): AppErrorDetail[] {
  const out: AppErrorDetail[] = [];
  const need = (path: keyof CaseDocumentInput, why = 'is required') => {
    if (blank(input[path])) out.push({ path, message: `${path} ${why} for ${input.kind}` });
  };
  if (!Object.hasOwn(titles, input.kind))
    return [{ path: 'kind', message: `unknown document kind ${String(input.kind)}` }];
  for (const f of [
    'issuerName',
    'applicantName',
    'matterName',
    'title',
    'receiptRef',
    'verificationCode',
    'verifyUrl',
  ] as const)
    need(f);
  for (const f of ['receivedAt', 'issuedAt'] as const)
    if (!validInstant(input[f])) out.push({ path: f, message: `${f} must be an ISO timestamp` });
  if (!blank(input.verifyUrl)) {
    let url: URL | null = null;
    try {
      url = new URL(input.verifyUrl);
    } catch {
      url = null;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
      out.push({ path: 'verifyUrl', message: 'verifyUrl must be an absolute http(s) URL' });
    else if (!blank(input.verificationCode) && !input.verifyUrl.includes(input.verificationCode))
      out.push({ path: 'verifyUrl', message: 'verifyUrl must carry the verification code' });
  }
  if (input.legalBasis !== undefined && (!Array.isArray(input.legalBasis) || input.legalBasis.some(blank)))
    out.push({ path: 'legalBasis', message: 'legalBasis must be a list of non-empty citations' });
  switch (input.kind) {
    case 'acceptanceNotice':
      need('caseNumber');
      need('queryCode');
      if (input.dueDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(input.dueDate))
        out.push({ path: 'dueDate', message: 'dueDate must be a date YYYY-MM-DD' });
      break;
    case 'supplementNotice':
      if (!Array.isArray(input.supplementItems) || input.supplementItems.length === 0)
        out.push({
          path: 'supplementItems',
          message: 'supplementItems must list at least one item for supplementNotice',
        });
      else
        input.supplementItems.forEach((item, i) => {
          if (blank(item.message))
            out.push({ path: `supplementItems.${i}.message`, message: 'every supplement item needs a message' });
        });
      break;
    case 'refusalDecision':
      need('reasons', 'is required (行政许可法 §32: a refusal states its reasons)');
      break;
    case 'approvalReply':
      need('caseNumber');
      need('documentNumber');
      need('opinion');
      break;
    case 'disapprovalDecision':
      need('caseNumber');
      need('reasons', 'is required (行政许可法 §38: a disapproval states its reasons)');
      if (input.remedies === false)
        out.push({
          path: 'remedies',
          message: 'a disapproval must tell the applicant of 复议 and 诉讼 (行政许可法 §38)',
        });
      break;
  }
  return out;
}

/** 2026-11-23 → 2026年11月23日 */
function chineseDate(civil: string): string {
  const [y, m, d] = civil.split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
}
const shanghaiDay = (iso: string) => chineseDate(toShanghaiDate(iso));

/** `《…》第…条` citations joined onto the 行政许可法 article. */
function citing(article: string, more: string[] | undefined): string {
  const extra = (more ?? []).map((c) => c.trim().replace(/[。；;，,、\s]+$/u, ''));
  return extra.length === 0 ? `${law}${article}` : `${law}${article}和${extra.join('、')}`;
}

/** The body as paragraphs (indented two characters) and numbered items. */
type Block = { text: string } | { item: string; n: number } | { gap: number };

function body(input: CaseDocumentInput): Block[] {
  const received = shanghaiDay(input.receivedAt);
  const application = `你（单位）于${received}提交的${input.matterName}申请（项目名称：${input.title}，收件编号：${input.receiptRef}）`;
  const paragraphs = (text: string) =>
    text
      .split(/\n\s*\n|\r?\n/)
      .map((t) => t.trim())
      .filter((t) => t !== '')
      .map((t) => ({ text: t }));
  switch (input.kind) {
    case 'acceptanceNotice': {
      const blocks: Block[] = [
        {
          text: `${application}，经审查，申请事项属于本机关职权范围，申请材料齐全、符合法定形式。根据${citing('第三十二条第一款第（五）项', input.legalBasis)}的规定，决定予以受理。`,
        },
        { text: `受理编号：${input.caseNumber ?? ''}` },
        {
          text: `查询码：${input.queryCode ?? ''}（请妥善保管，凭受理编号和查询码可在政务服务门户查询办理进度）`,
        },
      ];
      if (input.dueDate)
        blocks.push({
          text: `预计办结日期：${chineseDate(input.dueDate)}（依法需要听证、招标、拍卖、检验、检测、检疫、鉴定和专家评审的，所需时间不计算在办理期限内）。`,
        });
      blocks.push({ text: '特此通知。' });
      return blocks;
    }
    case 'supplementNotice':
      return [
        {
          text: `${application}，经审查，申请材料不齐全或者不符合法定形式。根据${citing('第三十二条第一款第（四）项', input.legalBasis)}的规定，现一次告知你（单位）需要补正的全部内容：`,
        },
        { gap: 0.2 },
        ...(input.supplementItems ?? []).map((it, i) => ({
          n: i + 1,
          item: it.materialName ? `${it.materialName}：${it.message.trim()}` : it.message.trim(),
        })),
        { gap: 0.2 },
        {
          text: '请按照上述要求一次补正全部材料后重新提交。补正期间不计算在受理期限内；你（单位）提交全部补正材料后，本机关将依法作出是否受理的决定。',
        },
        { text: '特此通知。' },
      ];
    case 'refusalDecision':
      return [
        { text: `${application}，经审查，不予受理的理由如下：` },
        ...paragraphs(input.reasons ?? ''),
        { text: `根据${citing('第三十二条第一款', input.legalBasis)}的规定，决定不予受理。` },
        ...(input.remedies === false ? [] : [{ text: remedyText }]),
      ];
    case 'approvalReply':
      return [
        {
          text: `${application}收悉，本机关已依法受理（受理编号：${input.caseNumber ?? ''}）。经审查，根据${citing('第三十八条第一款', input.legalBasis)}的规定，现批复如下：`,
        },
        ...paragraphs(input.opinion ?? ''),
        { text: '此复。' },
      ];
    case 'disapprovalDecision':
      return [
        {
          text: `${application}，本机关已依法受理（受理编号：${input.caseNumber ?? ''}）。经审查，不予批准的理由如下：`,
        },
        ...paragraphs(input.reasons ?? ''),
        { text: `根据${citing('第三十八条第二款', input.legalBasis)}的规定，决定不予批准。` },
        { text: remedyText },
      ];
  }
}

// A4 in points; margins after GB/T 9704 (top 37 mm, left 28 mm, right 26 mm), the bottom one
// leaving room for the footer.
const margins = { top: 96, left: 79, right: 74, bottom: 92 };
const bodySize = 14;
const red = '#c8161d';

/** A case document as a PDF (A4), in Chinese. Refuses an input missing what its kind needs. */
export async function renderCaseDocument(input: CaseDocumentInput): Promise<Buffer> {
  const found = problems(input);
  if (found.length > 0)
    throw new AppError('VALIDATION_FAILED', `the ${String(input.kind)} cannot be issued: ${found[0]!.message}`, found);

  const issued = new Date(Date.parse(input.issuedAt));
  const heading = input.kind === 'approvalReply' ? `关于${input.title}${input.matterName}的批复` : titles[input.kind];
  const numberLabel = input.caseNumber ? '受理编号' : '收件编号';
  const number = input.caseNumber ?? input.receiptRef;
  const doc = new PDFDocument({
    size: 'A4',
    margins,
    bufferPages: true,
    info: {
      Title: heading,
      Author: input.issuerName,
      Subject: `${input.matterName} ${number}`,
      Keywords: `验证码 ${input.verificationCode}`,
      Creator: 'Guotu',
      Producer: 'Guotu (PDFKit)',
      CreationDate: issued,
      ModDate: issued,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('regular', font('regular'));
  doc.registerFont('bold', font('bold'));

  const left = margins.left;
  const width = doc.page.width - margins.left - margins.right;
  const right = left + width;

  // Masthead: the decisions (批复, 不予批准决定书) under the issuer's red name, the 文号 and a red
  // rule; the notices under the issuer's name in black.
  const formal = input.kind === 'approvalReply' || input.kind === 'disapprovalDecision';
  if (formal) {
    doc.font('bold').fillColor(red);
    let size = 30;
    while (size > 16 && doc.fontSize(size).widthOfString(input.issuerName, { characterSpacing: 2 }) > width) size -= 1;
    doc.text(input.issuerName, left, margins.top, { width, align: 'center', characterSpacing: 2 });
    doc.moveDown(0.6);
    doc.font('regular').fillColor('#000').fontSize(bodySize);
    if (input.documentNumber) {
      doc.text(input.documentNumber, left, doc.y, { width, align: 'center' });
      doc.moveDown(0.3);
    }
    const ruleY = doc.y + 2;
    doc.moveTo(left, ruleY).lineTo(right, ruleY).lineWidth(1.5).strokeColor(red).stroke();
    doc.y = ruleY + 24;
  } else {
    doc.font('bold').fillColor('#000').fontSize(16);
    doc.text(input.issuerName, left, margins.top, { width, align: 'center', characterSpacing: 1 });
    doc.moveDown(0.5);
  }

  // Title
  // A title of several lines is set in lines of about equal length (a long first line over a
  // short last one looks unfinished).
  doc.font('bold').fillColor('#000').fontSize(22);
  const spacing = heading.length <= 7 ? 4 : 0;
  const titleWidth = doc.widthOfString(heading, { characterSpacing: spacing });
  const titleLines = Math.ceil(titleWidth / width);
  const titleBox = titleLines <= 1 ? width : Math.min(width, titleWidth / titleLines + 22 * 1.5);
  doc.text(heading, left + (width - titleBox) / 2, doc.y, {
    width: titleBox,
    align: 'center',
    characterSpacing: spacing,
    lineGap: 4,
  });
  doc.moveDown(0.4);
  // The number under a notice's title, at the right (a decision carries its 文号 in the masthead)
  doc.font('regular').fontSize(11);
  if (!formal || !input.documentNumber) doc.text(`${numberLabel}：${number}`, left, doc.y, { width, align: 'right' });
  doc.moveDown(1.2);

  // Addressee and body
  doc.fontSize(bodySize).fillColor('#000');
  const lineGap = 7;
  doc.text(`${input.applicantName}：`, left, doc.y, { width, lineGap });
  const blocks = body(input);
  // numbered list: the number two characters in, the text wrapping under itself, one column for
  // all items (as wide as the widest number)
  const itemCount = blocks.filter((b) => 'item' in b).length;
  const labelWidth = doc.widthOfString(`${itemCount}.`) + bodySize * 0.6;
  for (const block of blocks) {
    if ('gap' in block) doc.moveDown(block.gap);
    else if ('item' in block) {
      const label = `${block.n}.`;
      const indent = bodySize * 2;
      const h = doc.heightOfString(block.item, { width: width - indent - labelWidth, lineGap });
      if (doc.y + h > doc.page.height - margins.bottom) doc.addPage();
      const y = doc.y;
      doc.text(label, left + indent, y, { width: labelWidth, lineGap, lineBreak: false });
      doc.text(block.item, left + indent + labelWidth, y, { width: width - indent - labelWidth, lineGap });
    } else doc.text(block.text, left, doc.y, { width, lineGap, indent: bodySize * 2, align: 'justify' });
  }

  // Issuer and date at the bottom right, the issuer centred over the date, the date four
  // characters in from the right margin (GB/T 9704 成文日期右空四字). Kept together on one page.
  const date = shanghaiDay(input.issuedAt);
  doc.fontSize(bodySize);
  const dateWidth = doc.widthOfString(date);
  const issuerWidth = Math.min(doc.widthOfString(input.issuerName), width);
  const dateX = right - bodySize * 4 - dateWidth;
  const centre = dateX + dateWidth / 2;
  const issuerX = Math.max(left, Math.min(centre - issuerWidth / 2, right - issuerWidth));
  const lineHeight = doc.currentLineHeight(true) + lineGap;
  if (doc.y + bodySize * 3 + lineHeight * 2 > doc.page.height - margins.bottom) doc.addPage();
  doc.y += bodySize * 3;
  doc.text(input.issuerName, issuerX, doc.y, { width: issuerWidth + 1, lineBreak: false });
  doc.text(date, dateX, doc.y + lineGap, { width: dateWidth + 1, lineBreak: false });

  // Footer on every page: verification, the case number, page n of m.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing below the bottom margin must not start a new page
    const y = doc.page.height - 66;
    doc.moveTo(left, y).lineTo(right, y).lineWidth(0.5).strokeColor('#888').stroke();
    doc.font('regular').fillColor('#333').fontSize(8.5);
    const pageText = `${numberLabel}：${number}\u3000第 ${i - range.start + 1} 页 共 ${range.count} 页`;
    doc.text(`验证码：${input.verificationCode}`, left, y + 6, { width, lineBreak: false });
    doc.text(pageText, left, y + 6, { width, align: 'right', lineBreak: false });
    let urlSize = 8.5;
    const urlText = `核验网址：${input.verifyUrl}`;
    while (urlSize > 6 && doc.fontSize(urlSize).widthOfString(urlText) > width) urlSize -= 0.5;
    doc.text(urlText, left, y + 20, { width, lineBreak: false, ellipsis: true });
    doc
      .fontSize(7.5)
      .fillColor('#666')
      .text('本文书可凭验证码在政务服务门户核验真伪。', left, y + 33, { width, lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
