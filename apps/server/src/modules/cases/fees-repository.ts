import { sql } from 'kysely';
import type { Executor, Tx } from '../../platform/db.ts';

/**
 * The SQL of fees recorded on a case (case_fees, 0018_case_fees.sql; voiding and corrections
 * 0019_case_fee_corrections.sql). docs/cases.md § Fees.
 */

export interface FeeRow {
  id: number;
  itemName: string;
  basis: string | null;
  /** numeric(14,2) as text, "200.00" */
  amount: string;
  collectedAt: Date;
  recordedBy: string | null;
  note: string | null;
  voidedAt: Date | null;
  voidedBy: string | null;
  voidReason: string | null;
  corrects: number | null;
}

/** The fees of a case, oldest first, voided ones included, with the names of who recorded and voided each. */
export async function listFees(db: Executor, caseId: number): Promise<FeeRow[]> {
  const rows = await db
    .selectFrom('case_fees as f')
    .leftJoin('users as u', 'u.id', 'f.recorded_by')
    .leftJoin('users as v', 'v.id', 'f.voided_by')
    .select([
      'f.id',
      'f.item_name as itemName',
      'f.basis',
      sql<string>`f.amount::text`.as('amount'),
      'f.collected_at as collectedAt',
      'u.display_name as recordedBy',
      'f.note',
      'f.voided_at as voidedAt',
      'v.display_name as voidedBy',
      'f.void_reason as voidReason',
      'f.corrects',
    ])
    .where('f.case_id', '=', caseId)
    .orderBy('f.id')
    .execute();
  return rows.map((r) => ({
    ...r,
    collectedAt: new Date(r.collectedAt),
    voidedAt: r.voidedAt === null ? null : new Date(r.voidedAt),
  }));
}

export interface NewFee {
  caseId: number;
  itemName: string;
  basis: string | null;
  /** yuan with two decimals, as text ("200.00") so no float reaches the column */
  amount: string;
  collectedAt: Date;
  recordedBy: number;
  note: string | null;
  /** the voided record this one corrects */
  corrects?: number;
}

export async function insertFee(tx: Tx, fee: NewFee): Promise<{ id: number; amount: string }> {
  return tx
    .insertInto('case_fees')
    .values({
      case_id: fee.caseId,
      item_name: fee.itemName,
      basis: fee.basis,
      amount: fee.amount,
      collected_at: fee.collectedAt,
      recorded_by: fee.recordedBy,
      note: fee.note,
      corrects: fee.corrects ?? null,
    })
    .returning(['id', sql<string>`amount::text`.as('amount')])
    .executeTakeFirstOrThrow();
}

export interface FeeRecord {
  id: number;
  caseId: number;
  itemName: string;
  basis: string | null;
  amount: string;
  collectedAt: Date;
  note: string | null;
  voidedAt: Date | null;
}

/** One fee of a case under a row lock (the caller holds the case's lock too); undefined when not on it. */
export async function lockFee(tx: Tx, caseId: number, feeId: number): Promise<FeeRecord | undefined> {
  const row = await tx
    .selectFrom('case_fees')
    .select([
      'id',
      'case_id as caseId',
      'item_name as itemName',
      'basis',
      sql<string>`amount::text`.as('amount'),
      'collected_at as collectedAt',
      'note',
      'voided_at as voidedAt',
    ])
    .where('id', '=', feeId)
    .where('case_id', '=', caseId)
    .forUpdate()
    .executeTakeFirst();
  return row && { ...row, collectedAt: new Date(row.collectedAt), voidedAt: row.voidedAt && new Date(row.voidedAt) };
}

/**
 * Voids a fee: the only change a fee record takes (the table's trigger refuses any other, and a
 * second void). Returns false when it was voided already.
 */
export async function voidFee(
  tx: Tx,
  feeId: number,
  change: { at: Date; by: number; reason: string },
): Promise<boolean> {
  const rows = await tx
    .updateTable('case_fees')
    .set({ voided_at: change.at, voided_by: change.by, void_reason: change.reason })
    .where('id', '=', feeId)
    .where('voided_at', 'is', null)
    .returning('id')
    .execute();
  return rows.length === 1;
}
