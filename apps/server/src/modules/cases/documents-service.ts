import { AppError } from '@guotu/domain';
import type { DocumentVerification } from '@guotu/contracts';
import type { Db, Tx } from '../../platform/db.ts';
import { recordBlobTx, storeBytes } from '../blobs/service.ts';
import { randomCode, receiptRef, type CaseDeps } from './context.ts';
import { renderCaseDocument, type CaseDocumentInput } from './documents-pdf.ts';
import * as repo from './repository.ts';
import type { CaseRow } from './repository.ts';

/**
 * Documents issued on a case (受理通知书, 补正材料通知书, 不予受理决定书, 批复, 不予批准决定书): rendered
 * as PDF, stored content-addressed, recorded with a verification code the portal checks.
 */

export type IssueInput = Omit<
  CaseDocumentInput,
  | 'applicantName'
  | 'matterName'
  | 'title'
  | 'caseNumber'
  | 'receiptRef'
  | 'receivedAt'
  | 'verificationCode'
  | 'verifyUrl'
>;

/**
 * Renders and stores a document. The PDF is written to the blob store before the transaction
 * commits (an orphan file after a rollback is harmless: content-addressed, never referenced).
 */
export async function issueDocument(
  deps: CaseDeps,
  tx: Tx,
  row: CaseRow,
  input: IssueInput & {
    number: string | null;
    issuedBy: number | null;
    issuerOrgId: number;
    caseNumber?: string | null;
  },
): Promise<{ id: number; verificationCode: string }> {
  const verificationCode = randomCode(16);
  const pdf = await renderCaseDocument({
    ...input,
    applicantName: row.applicantName,
    matterName: row.matterName,
    title: row.title,
    caseNumber: input.caseNumber !== undefined ? input.caseNumber : row.caseNumber,
    receiptRef: receiptRef(row),
    receivedAt: (row.receivedAt ?? row.createdAt).toISOString(),
    verificationCode,
    verifyUrl: `${deps.config.publicBaseUrl.replace(/\/$/, '')}/portal/verify?code=${verificationCode}`,
  });
  const stored = await storeBytes(deps.config.dataDir, pdf, 64 * 1024 * 1024);
  if (stored.type !== 'pdf') throw new AppError('INTERNAL', `rendered ${input.kind} is not a PDF`);
  await recordBlobTx(tx, stored);
  const id = await repo.insertDocument(tx, {
    caseId: row.id,
    kind: input.kind,
    number: input.number,
    sha256: stored.sha256,
    verificationCode,
    issuedAt: new Date(input.issuedAt),
    issuedBy: input.issuedBy,
    issuerOrgId: input.issuerOrgId,
  });
  return { id, verificationCode };
}

/** The portal's check of a printed verification code: what the document is, or `valid: false`. */
export async function verifyDocument(db: Db, code: string): Promise<DocumentVerification> {
  const normalized = code.trim().toUpperCase();
  if (!/^[2-9A-Z]{16}$/.test(normalized)) return { valid: false };
  const doc = await repo.findDocumentByCode(db, normalized);
  if (!doc) return { valid: false };
  return {
    valid: true,
    kind: doc.kind,
    number: doc.number,
    caseNumber: doc.caseNumber,
    issuedAt: doc.issuedAt.toISOString(),
    issuerOrgName: doc.issuerOrgName,
    sha256: doc.sha256,
  };
}
