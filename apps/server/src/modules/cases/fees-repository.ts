import { sql } from 'kysely';
import type { Executor, Tx } from '../../platform/db.ts';

/** The SQL of fees recorded on a case (case_fees, 0018_case_fees.sql). docs/cases.md § Fees. */

export interface FeeRow {
  id: number;
  itemName: string;
  basis: string | null;
  /** numeric(14,2) as text, "200.00" */
  amount: string;
  collectedAt: Date;
  recordedBy: string | null;
  note: string | null;
}

/** The fees of a case, oldest first, with the display name of who recorded each. */
export async function listFees(db: Executor, caseId: number): Promise<FeeRow[]> {
  const rows = await db
    .selectFrom('case_fees as f')
    .leftJoin('users as u', 'u.id', 'f.recorded_by')
    .select([
      'f.id',
      'f.item_name as itemName',
      'f.basis',
      sql<string>`f.amount::text`.as('amount'),
      'f.collected_at as collectedAt',
      'u.display_name as recordedBy',
      'f.note',
    ])
    .where('f.case_id', '=', caseId)
    .orderBy('f.id')
    .execute();
  return rows.map((r) => ({ ...r, collectedAt: new Date(r.collectedAt) }));
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
    })
    .returning(['id', sql<string>`amount::text`.as('amount')])
    .executeTakeFirstOrThrow();
}
