import { AppError, type AppErrorDetail } from '@guotu/domain';
import type { CaseFeeView, RecordCaseFeeRequest } from '@guotu/contracts';
import { inTransaction, type Executor } from '../../platform/db.ts';
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

/**
 * 收费登记: the fees the window takes for a case, checked afterwards by supervision against the
 * matter version the case was applied under (rule feeOutsideRules). docs/cases.md § Fees.
 */

/** The statuses a fee may be recorded in: from acceptance to issuance. */
export const feeStatuses = ['inReview', 'decided', 'issued'] as const;

/** numeric(14,2): twelve digits before the point */
const MAX_AMOUNT = 999_999_999_999.99;
const MAX_NAME = 200;
const MAX_BASIS = 500;
const MAX_NOTE = 2000;

interface CleanFee {
  itemName: string;
  amount: string;
  basis: string | null;
  note: string | null;
}

/** Every problem of the request at once, each naming its field (`body.amount`). */
function cleanFee(req: RecordCaseFeeRequest): CleanFee {
  const details: AppErrorDetail[] = [];
  const itemName = typeof req.itemName === 'string' ? req.itemName.trim() : '';
  if (!itemName) details.push({ path: 'body.itemName', message: 'required' });
  else if (itemName.length > MAX_NAME)
    details.push({ path: 'body.itemName', message: `at most ${MAX_NAME} characters` });
  let amount = '';
  const a = req.amount;
  if (typeof a !== 'number' || !Number.isFinite(a)) details.push({ path: 'body.amount', message: 'must be a number' });
  else if (a <= 0) details.push({ path: 'body.amount', message: 'must be more than 0' });
  else if (a > MAX_AMOUNT) details.push({ path: 'body.amount', message: `must be at most ${MAX_AMOUNT}` });
  else if (Math.abs(a * 100 - Math.round(a * 100)) > 1e-6)
    details.push({ path: 'body.amount', message: 'at most two decimals (fen)' });
  else amount = (Math.round(a * 100) / 100).toFixed(2);
  const optional = (value: unknown, field: string, max: number): string | null => {
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string') {
      details.push({ path: `body.${field}`, message: 'must be text' });
      return null;
    }
    const v = value.trim();
    if (v.length > max) details.push({ path: `body.${field}`, message: `at most ${max} characters` });
    return v || null;
  };
  const basis = optional(req.basis, 'basis', MAX_BASIS);
  const note = optional(req.note, 'note', MAX_NOTE);
  if (details.length > 0)
    throw new AppError(
      'VALIDATION_FAILED',
      `the fee is not valid: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}`,
      details,
    );
  return { itemName, amount, basis, note };
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
  const fee = cleanFee(req);
  const now = deps.now();
  return inTransaction(deps.db, async (tx) => {
    const row = await loadCase(tx, party, caseId, { forUpdate: true });
    requireStatus(row, ...feeStatuses);
    checkVersion(row, req.version);
    // the matter's basis for an item it lists, when the window gave none
    const spec = (await getMatterVersion(tx, row.matterCode, row.matterVersion)).spec;
    const listed = spec.fees.items.find((i) => i.name.trim() === fee.itemName);
    const basis = fee.basis ?? (listed?.basis.trim() || null);
    const inserted = await fees.insertFee(tx, {
      caseId: row.id,
      itemName: fee.itemName,
      basis,
      amount: fee.amount,
      collectedAt: now,
      recordedBy: actor.userId,
      note: fee.note,
    });
    await repo.updateCase(tx, row.id, {}, now);
    await recordEvent(tx, row, party, 'feeRecorded', now, {
      feeId: inserted.id,
      itemName: fee.itemName,
      amount: inserted.amount,
      basis,
      note: fee.note,
    });
    return inserted.id;
  });
}

/** The fees of a case for its detail; the applicant's view leaves out staff names. */
export async function feeViews(db: Executor, party: CaseParty, caseId: number): Promise<CaseFeeView[]> {
  return (await fees.listFees(db, caseId)).map((f) => ({
    id: f.id,
    itemName: f.itemName,
    basis: f.basis,
    amount: f.amount,
    collectedAt: f.collectedAt.toISOString(),
    recordedBy: party.kind === 'staff' ? f.recordedBy : null,
    note: f.note,
  }));
}
