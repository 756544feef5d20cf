import { AppError, type AppErrorDetail } from '@guotu/domain';
import type { CaseFeeView, RecordCaseFeeRequest, VoidCaseFeeRequest } from '@guotu/contracts';
import { inTransaction, type Executor, type Tx } from '../../platform/db.ts';
import { getMatterVersion } from '../matters/service.ts';
import {
  checkVersion,
  loadCase,
  recordEvent,
  requirePermission,
  requireStatus,
  type CaseDeps,
  type CaseParty,
} from './context.ts';
import * as fees from './fees-repository.ts';
import * as repo from './repository.ts';
import type { CaseRow } from './repository.ts';

/**
 * 收费登记: the fees the window takes for a case, checked afterwards by supervision against the
 * matter version the case was applied under (rule feeOutsideRules). A fee record is a financial
 * record: a mistake is voided with a reason (作废) and, when money was taken, corrected by a new
 * record (更正) — never edited. docs/cases.md § Fees.
 */

/** The statuses a fee may be recorded or voided in: from acceptance to issuance (archived is read-only). */
export const feeStatuses = ['inReview', 'decided', 'issued'] as const;

/** numeric(14,2): twelve digits before the point */
const MAX_AMOUNT = 999_999_999_999.99;
const MAX_NAME = 200;
const MAX_BASIS = 500;
const MAX_NOTE = 2000;
const MAX_REASON = 2000;

interface CleanFee {
  itemName: string;
  amount: string;
  basis: string | null;
  note: string | null;
}

type FeeFields = Omit<RecordCaseFeeRequest, 'version'>;

/** Trimmed optional text; a problem (not text, too long) goes to `details` under `path`. */
function optionalText(value: unknown, path: string, max: number, details: AppErrorDetail[]): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    details.push({ path, message: 'must be text' });
    return null;
  }
  const v = value.trim();
  if (v.length > max) details.push({ path, message: `at most ${max} characters` });
  return v || null;
}

/** The fee's fields, every problem pushed to `details` naming its field (`body.amount`, `body.correction.amount`). */
function cleanFee(req: FeeFields, prefix: string, details: AppErrorDetail[]): CleanFee {
  const itemName = typeof req.itemName === 'string' ? req.itemName.trim() : '';
  if (!itemName) details.push({ path: `${prefix}.itemName`, message: 'required' });
  else if (itemName.length > MAX_NAME)
    details.push({ path: `${prefix}.itemName`, message: `at most ${MAX_NAME} characters` });
  let amount = '';
  const a = req.amount;
  const path = `${prefix}.amount`;
  if (typeof a !== 'number' || !Number.isFinite(a)) details.push({ path, message: 'must be a number' });
  else if (a <= 0) details.push({ path, message: 'must be more than 0' });
  else if (a > MAX_AMOUNT) details.push({ path, message: `must be at most ${MAX_AMOUNT}` });
  else if (Math.abs(a * 100 - Math.round(a * 100)) > 1e-6)
    details.push({ path, message: 'at most two decimals (fen)' });
  else amount = (Math.round(a * 100) / 100).toFixed(2);
  const basis = optionalText(req.basis, `${prefix}.basis`, MAX_BASIS, details);
  const note = optionalText(req.note, `${prefix}.note`, MAX_NOTE, details);
  return { itemName, amount, basis, note };
}

function refuseIfAny(details: readonly AppErrorDetail[], what: string): void {
  if (details.length > 0)
    throw new AppError(
      'VALIDATION_FAILED',
      `${what} is not valid: ${details.map((d) => `${d.path ?? ''} ${d.message}`).join('; ')}`,
      details,
    );
}

/** The case for a fee change: locked, in a fee status, at the version the caller read. */
async function lockCaseForFees(tx: Tx, party: CaseParty, caseId: number, version: number): Promise<CaseRow> {
  const row = await loadCase(tx, party, caseId, { forUpdate: true });
  requireStatus(row, ...feeStatuses);
  checkVersion(row, version);
  return row;
}

/** Inserts a fee; the basis defaults to the basis of the matter's item of that name. */
async function insertFee(
  tx: Tx,
  row: CaseRow,
  fee: CleanFee,
  by: { userId: number; collectedAt: Date; corrects?: number },
): Promise<{ id: number; amount: string; basis: string | null }> {
  const spec = (await getMatterVersion(tx, row.matterCode, row.matterVersion)).spec;
  const listed = spec.fees.items.find((i) => i.name.trim() === fee.itemName);
  const basis = fee.basis ?? (listed?.basis.trim() || null);
  const inserted = await fees.insertFee(tx, {
    caseId: row.id,
    itemName: fee.itemName,
    basis,
    amount: fee.amount,
    collectedAt: by.collectedAt,
    recordedBy: by.userId,
    note: fee.note,
    ...(by.corrects === undefined ? {} : { corrects: by.corrects }),
  });
  return { ...inserted, basis };
}

/**
 * Records a fee on a case: staff with case.issue or case.accept, the case inReview, decided or
 * issued, its version as read. One transaction: the case row locked, the fee, the version bumped,
 * the case event `feeRecorded` with its audit record. Returns the fee's id.
 */
export async function recordFee(
  deps: CaseDeps,
  party: CaseParty,
  caseId: number,
  req: RecordCaseFeeRequest,
): Promise<number> {
  const actor = requirePermission(party, 'case.issue', 'case.accept');
  const details: AppErrorDetail[] = [];
  const fee = cleanFee(req, 'body', details);
  refuseIfAny(details, 'the fee');
  const now = deps.now();
  return inTransaction(deps.db, async (tx) => {
    const row = await lockCaseForFees(tx, party, caseId, req.version);
    const inserted = await insertFee(tx, row, fee, { userId: actor.userId, collectedAt: now });
    await repo.updateCase(tx, row.id, {}, now);
    await recordEvent(tx, row, party, 'feeRecorded', now, {
      feeId: inserted.id,
      itemName: fee.itemName,
      amount: inserted.amount,
      basis: inserted.basis,
      note: fee.note,
    });
    return inserted.id;
  });
}

/**
 * 作废/更正: voids a recorded fee with a reason and, with `correction`, records the right one in
 * the same change — the same people and states as recording. One transaction: the case row
 * locked and its version checked and bumped, the fee locked (404 when not on this case, 409 when
 * voided already), the void, the corrected fee (keeping the voided one's collection time, naming
 * it in `corrects`), the case events `feeVoided` (and `feeRecorded`) with their audit records.
 */
export async function voidFee(
  deps: CaseDeps,
  party: CaseParty,
  ids: { caseId: number; feeId: number },
  req: VoidCaseFeeRequest,
): Promise<{ voided: number; corrected: number | null }> {
  const actor = requirePermission(party, 'case.issue', 'case.accept');
  const details: AppErrorDetail[] = [];
  const reason = optionalText(req.reason, 'body.reason', MAX_REASON, details);
  if (reason === null && !details.some((d) => d.path === 'body.reason'))
    details.push({ path: 'body.reason', message: 'required: say why the record is wrong' });
  const correction = req.correction === undefined ? null : cleanFee(req.correction, 'body.correction', details);
  refuseIfAny(details, 'the correction');
  const now = deps.now();
  return inTransaction(deps.db, async (tx) => {
    const row = await lockCaseForFees(tx, party, ids.caseId, req.version);
    const fee = await fees.lockFee(tx, row.id, ids.feeId);
    if (!fee) throw new AppError('NOT_FOUND', `case ${row.id} has no fee ${ids.feeId}`);
    if (fee.voidedAt || !(await fees.voidFee(tx, fee.id, { at: now, by: actor.userId, reason: reason ?? '' })))
      throw new AppError('INVALID_STATE', `fee ${fee.id} is voided already`);
    const corrected = correction
      ? await insertFee(tx, row, correction, { userId: actor.userId, collectedAt: fee.collectedAt, corrects: fee.id })
      : null;
    await repo.updateCase(tx, row.id, {}, now);
    await recordEvent(tx, row, party, 'feeVoided', now, {
      feeId: fee.id,
      itemName: fee.itemName,
      amount: fee.amount,
      reason,
      correctedBy: corrected?.id ?? null,
    });
    if (corrected && correction)
      await recordEvent(tx, row, party, 'feeRecorded', now, {
        feeId: corrected.id,
        itemName: correction.itemName,
        amount: corrected.amount,
        basis: corrected.basis,
        note: correction.note,
        corrects: fee.id,
      });
    return { voided: fee.id, corrected: corrected?.id ?? null };
  });
}

/** The fees of a case for its detail, voided ones included; the applicant's view leaves out staff names. */
export async function feeViews(db: Executor, party: CaseParty, caseId: number): Promise<CaseFeeView[]> {
  const rows = await fees.listFees(db, caseId);
  const correctedBy = new Map(rows.flatMap((f) => (f.corrects === null ? [] : [[f.corrects, f.id] as const])));
  const staff = party.kind === 'staff';
  return rows.map((f) => ({
    id: f.id,
    itemName: f.itemName,
    basis: f.basis,
    amount: f.amount,
    collectedAt: f.collectedAt.toISOString(),
    recordedBy: staff ? f.recordedBy : null,
    note: f.note,
    voidedAt: f.voidedAt?.toISOString() ?? null,
    voidedBy: staff ? f.voidedBy : null,
    voidReason: f.voidReason,
    corrects: f.corrects,
    correctedBy: correctedBy.get(f.id) ?? null,
  }));
}
