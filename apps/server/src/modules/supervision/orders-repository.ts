import { sql } from 'kysely';
import type { Executor, Tx } from '../../platform/db.ts';

export type OrderKind = 'supervisionOrder' | 'explanation' | 'rectification';
export type OrderStatus = 'issued' | 'replied' | 'closed';
export type OrderAction = 'issued' | 'replied' | 'sentBack' | 'closed';

export interface OrderRow {
  id: string;
  number: string;
  kind: OrderKind;
  org_id: number;
  org_name: string;
  case_number: string | null;
  subject_type: string | null;
  subject_id: string | null;
  reason: string;
  reply_working_days: number;
  status: OrderStatus;
  clock_id: string | null;
  rounds: number;
  issued_by: number;
  issued_at: Date;
  reply: string | null;
  replied_by: number | null;
  replied_at: Date | null;
  closed_by: number | null;
  closed_at: Date | null;
  close_note: string | null;
  replied_on_time: boolean | null;
  version: number;
  due_at: Date | null;
  warn_at: Date | null;
}

const selectOrder = sql`select o.id::text, o.number, o.kind, o.org_id, u.name as org_name, o.case_number, o.subject_type, o.subject_id, o.reason,
  o.reply_working_days, o.status, o.clock_id::text, o.rounds, o.issued_by, o.issued_at, o.reply, o.replied_by, o.replied_at, o.closed_by,
  o.closed_at, o.close_note, o.replied_on_time, o.version, c.due_at, c.warn_at
  from supervision_orders o join org_units u on u.id = o.org_id left join clocks c on c.id = o.clock_id`;

const prefix: Record<OrderKind, string> = { supervisionOrder: '督', explanation: '说', rectification: '改' };

/** Next number of its kind in the year: 督-2026-0001. Serialised by the caller's advisory lock. */
export async function nextNumber(tx: Tx, kind: OrderKind, year: number): Promise<string> {
  await sql`select pg_advisory_xact_lock(${7_404_0008}, ${year})`.execute(tx);
  const head = `${prefix[kind]}-${year}-`;
  const r = await sql<{
    n: number;
  }>`select count(*)::int as n from supervision_orders where number like ${head + '%'}`.execute(tx);
  return `${head}${String((r.rows[0]?.n ?? 0) + 1).padStart(4, '0')}`;
}

export async function insertOrder(
  tx: Tx,
  o: {
    number: string;
    kind: OrderKind;
    orgId: number;
    caseNumber: string | null;
    subjectType: string | null;
    subjectId: string | null;
    reason: string;
    replyWorkingDays: number;
    issuedBy: number;
    issuedAt: Date;
  },
): Promise<string> {
  const r = await sql<{
    id: string;
  }>`insert into supervision_orders (number, kind, org_id, case_number, subject_type, subject_id, reason, reply_working_days, status, issued_by, issued_at)
    values (${o.number}, ${o.kind}, ${o.orgId}, ${o.caseNumber}, ${o.subjectType}, ${o.subjectId}, ${o.reason}, ${o.replyWorkingDays}, 'issued', ${o.issuedBy}, ${o.issuedAt})
    returning id::text`.execute(tx);
  const id = r.rows[0]?.id;
  if (!id) throw new Error('insert returned no id');
  return id;
}

export async function setClock(tx: Tx, id: string, clockId: string): Promise<void> {
  await sql`update supervision_orders set clock_id = ${clockId}::bigint where id = ${id}::bigint`.execute(tx);
}

export async function findOrder(db: Executor, id: string, forUpdate = false): Promise<OrderRow | undefined> {
  if (!/^[0-9]{1,18}$/.test(id)) return undefined;
  const r =
    await sql<OrderRow>`${selectOrder} where o.id = ${id}::bigint ${forUpdate ? sql`for update of o` : sql``}`.execute(
      db,
    );
  return r.rows[0];
}

export async function listOrders(
  db: Executor,
  filter: { status?: OrderStatus; kind?: OrderKind; orgId?: number; limit: number; offset: number },
): Promise<OrderRow[]> {
  const where = [sql`true`];
  if (filter.status) where.push(sql`o.status = ${filter.status}`);
  if (filter.kind) where.push(sql`o.kind = ${filter.kind}`);
  if (filter.orgId !== undefined) where.push(sql`o.org_id = ${filter.orgId}`);
  const r =
    await sql<OrderRow>`${selectOrder} where ${sql.join(where, sql` and `)} order by o.issued_at desc, o.id desc limit ${filter.limit} offset ${filter.offset}`.execute(
      db,
    );
  return r.rows;
}

export async function updateOrder(
  tx: Tx,
  id: string,
  patch: {
    status: OrderStatus;
    reply?: string | null;
    repliedBy?: number | null;
    repliedAt?: Date | null;
    closedBy?: number;
    closedAt?: Date;
    closeNote?: string | null;
    repliedOnTime?: boolean | null;
    rounds?: number;
  },
): Promise<void> {
  const sets = [sql`status = ${patch.status}`, sql`version = version + 1`];
  if (patch.reply !== undefined) sets.push(sql`reply = ${patch.reply}`);
  if (patch.repliedBy !== undefined) sets.push(sql`replied_by = ${patch.repliedBy}`);
  if (patch.repliedAt !== undefined) sets.push(sql`replied_at = ${patch.repliedAt}`);
  if (patch.closedBy !== undefined) sets.push(sql`closed_by = ${patch.closedBy}`);
  if (patch.closedAt !== undefined) sets.push(sql`closed_at = ${patch.closedAt}`);
  if (patch.closeNote !== undefined) sets.push(sql`close_note = ${patch.closeNote}`);
  if (patch.repliedOnTime !== undefined) sets.push(sql`replied_on_time = ${patch.repliedOnTime}`);
  if (patch.rounds !== undefined) sets.push(sql`rounds = ${patch.rounds}`);
  await sql`update supervision_orders set ${sql.join(sets, sql`, `)} where id = ${id}::bigint`.execute(tx);
}

export async function insertEvent(
  tx: Tx,
  e: { orderId: string; at: Date; action: OrderAction; byUser: number | null; note: string | null },
): Promise<void> {
  await sql`insert into supervision_order_events (order_id, at, action, by_user, note) values (${e.orderId}::bigint, ${e.at}, ${e.action}, ${e.byUser}, ${e.note})`.execute(
    tx,
  );
}

export async function listEvents(db: Executor, orderId: string) {
  const r = await sql<{
    at: Date;
    action: OrderAction;
    by_user: number | null;
    by_name: string | null;
    note: string | null;
  }>`
    select e.at, e.action, e.by_user, u.display_name as by_name, e.note from supervision_order_events e left join users u on u.id = e.by_user
    where e.order_id = ${orderId}::bigint order by e.id`.execute(db);
  return r.rows;
}

/** The office heads of an org (who answer its orders). */
export async function officeHeadsOf(db: Executor, orgId: number): Promise<Array<{ id: number; display_name: string }>> {
  const r = await sql<{ id: number; display_name: string }>`select u.id, u.display_name from users u
    where u.org_id = ${orgId} and not u.disabled and exists (select 1 from user_roles r where r.user_id = u.id and r.role_key = 'office_head') order by u.id`.execute(
    db,
  );
  return r.rows;
}

export async function orgExists(db: Executor, orgId: number): Promise<boolean> {
  const r = await sql<{ n: number }>`select count(*)::int as n from org_units where id = ${orgId}`.execute(db);
  return (r.rows[0]?.n ?? 0) > 0;
}

/** Every org an order may go to (the supervision office watches the whole province). */
export async function listTargetOrgs(
  db: Executor,
): Promise<Array<{ id: number; name: string; kind: string; path: string }>> {
  const r = await sql<{
    id: number;
    name: string;
    kind: string;
    path: string;
  }>`select id, name, kind, path from org_units order by path`.execute(db);
  return r.rows;
}

/** The orders whose reply clocks these are (any round), for the alert sink. */
export async function ordersOfClocks(
  db: Executor,
  clockIds: readonly string[],
): Promise<
  Array<{
    clock_id: string;
    order_id: string;
    number: string;
    kind: OrderKind;
    case_number: string | null;
    org_id: number;
    org_path: string;
  }>
> {
  if (clockIds.length === 0) return [];
  const ids = sql.join(clockIds.map((id) => sql`${id}::bigint`));
  const r = await sql<{
    clock_id: string;
    order_id: string;
    number: string;
    kind: OrderKind;
    case_number: string | null;
    org_id: number;
    org_path: string;
  }>`select c.id::text as clock_id, o.id::text as order_id, o.number, o.kind, o.case_number, o.org_id, u.path as org_path
    from clocks c join supervision_orders o on c.subject_type = 'supervision_order' and o.id::text = c.subject_id
    join org_units u on u.id = o.org_id
    where c.id in (${ids})`.execute(db);
  return r.rows;
}
