import { AppError, hasPermission, toShanghaiDate, type Actor, type WorkingCalendar } from '@guotu/domain';
import { inTransaction, type Db, type Tx } from '../../platform/db.ts';
import { appendAudit } from '../audit/repository.ts';
import { changeClock, startClock } from '../clocks/service.ts';
import { notify, type NotifyDeps } from '../notifications/service.ts';
import * as repo from './orders-repository.ts';
import type { OrderKind, OrderRow, OrderStatus } from './orders-repository.ts';

export type { OrderKind, OrderStatus };

/**
 * Supervision orders (督办单), explanation requests (说明原因) and rectifications (限期整改).
 * issued → (office head of the target org) replied → (supervision office) closed, or sent back
 * to issued with a fresh reply clock. Every change is one transaction: the order row, its event,
 * its clock, the notification outbox rows and the audit record.
 */

export interface OrderDeps extends NotifyDeps {
  db: Db;
}

interface When {
  calendar: WorkingCalendar;
  now: Date;
}

export const kindNames: Record<OrderKind, string> = {
  supervisionOrder: '督办单',
  explanation: '说明原因',
  rectification: '限期整改',
};

export function presentOrder(r: OrderRow) {
  return {
    id: r.id,
    number: r.number,
    kind: r.kind,
    kindName: kindNames[r.kind],
    orgId: r.org_id,
    orgName: r.org_name,
    caseNumber: r.case_number,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    reason: r.reason,
    replyWorkingDays: r.reply_working_days,
    status: r.status,
    rounds: r.rounds,
    clockId: r.clock_id,
    dueAt: r.due_at?.toISOString() ?? null,
    warnAt: r.warn_at?.toISOString() ?? null,
    issuedBy: r.issued_by,
    issuedAt: r.issued_at.toISOString(),
    reply: r.reply,
    repliedAt: r.replied_at?.toISOString() ?? null,
    repliedOnTime: r.replied_on_time,
    closedAt: r.closed_at?.toISOString() ?? null,
    closeNote: r.close_note,
    version: r.version,
  };
}
export type OrderView = ReturnType<typeof presentOrder>;

function requireAct(actor: Actor): void {
  if (!hasPermission(actor, 'supervision.act')) throw new AppError('FORBIDDEN', 'requires permission supervision.act');
}

/** The answering office: an office head of the order's org (supervision.read alone is not enough). */
function requireAnsweringOffice(actor: Actor, order: OrderRow): void {
  if (!actor.roles.includes('office_head') || actor.orgId !== order.org_id) {
    throw new AppError('FORBIDDEN', `only an office head of ${order.org_name} may answer order ${order.number}`);
  }
}

function validationFailed(path: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', message, [{ path, message }]);
}

async function tellOffice(
  tx: Tx,
  deps: NotifyDeps,
  order: {
    id: string;
    number: string;
    orgId: number;
    caseNumber: string | null;
    reason: string;
    dueDate: string | null;
    round: number;
  },
): Promise<void> {
  const heads = await repo.officeHeadsOf(tx, order.orgId);
  for (const head of heads) {
    await notify(
      tx,
      {
        event: 'supervision.order_issued',
        recipients: [{ userId: head.id }],
        channels: ['sms', 'inApp'],
        variables: {
          recipientName: head.display_name,
          caseNumber: order.caseNumber ?? '—',
          orderNumber: order.number,
          reason: order.reason,
          replyBy: order.dueDate ?? '—',
        },
        idempotencyKey: `supervision-order:${order.id}:round:${order.round}:${head.id}`,
      },
      deps,
    );
  }
}

async function startReplyClock(tx: Tx, when: When, orderId: string, round: number, limit: number) {
  return startClock(tx, when.calendar, {
    subjectType: 'supervision_order',
    subjectId: orderId,
    purpose: `reply:${round}`,
    unit: 'workday',
    limit,
    startedAt: when.now,
    now: when.now,
  });
}

export async function issueOrder(
  deps: OrderDeps,
  actor: Actor,
  input: {
    kind: OrderKind;
    orgId: number;
    reason: string;
    replyWorkingDays: number;
    caseNumber?: string | null;
    subjectType?: string | null;
    subjectId?: string | null;
  },
  when: When,
): Promise<OrderView> {
  requireAct(actor);
  if (input.reason.trim() === '') throw validationFailed('body.reason', 'a reason is required');
  return inTransaction(deps.db, async (tx) => {
    if (!(await repo.orgExists(tx, input.orgId)))
      throw validationFailed('body.orgId', `org ${input.orgId} does not exist`);
    const number = await repo.nextNumber(tx, input.kind, Number(toShanghaiDate(when.now).slice(0, 4)));
    const id = await repo.insertOrder(tx, {
      number,
      kind: input.kind,
      orgId: input.orgId,
      caseNumber: input.caseNumber ?? null,
      subjectType: input.subjectType ?? null,
      subjectId: input.subjectId ?? null,
      reason: input.reason.trim(),
      replyWorkingDays: input.replyWorkingDays,
      issuedBy: actor.userId,
      issuedAt: when.now,
    });
    const clock = await startReplyClock(tx, when, id, 1, input.replyWorkingDays);
    await repo.setClock(tx, id, clock.id);
    await repo.insertEvent(tx, {
      orderId: id,
      at: when.now,
      action: 'issued',
      byUser: actor.userId,
      note: input.reason,
    });
    await tellOffice(tx, deps, {
      id,
      number,
      orgId: input.orgId,
      caseNumber: input.caseNumber ?? null,
      reason: input.reason,
      dueDate: clock.dueDate,
      round: 1,
    });
    const order = await repo.findOrder(tx, id);
    if (!order) throw new AppError('INTERNAL', 'order vanished');
    await appendAudit(tx, {
      actorId: actor.userId,
      actorName: actor.username,
      requestId: actor.requestId,
      action: 'supervision.order_issued',
      entityType: 'supervision_order',
      entityId: id,
      after: presentOrder(order),
    });
    return presentOrder(order);
  });
}

/** The office answers (reply, explanation, or rectification report); its clock stops. */
export async function replyToOrder(
  deps: OrderDeps,
  actor: Actor,
  id: string,
  input: { reply: string; version?: number },
  when: When,
): Promise<OrderView> {
  if (input.reply.trim() === '') throw validationFailed('body.reply', 'the reply may not be empty');
  return transition(deps, actor, id, input.version, async (tx, order) => {
    requireAnsweringOffice(actor, order);
    if (order.status !== 'issued')
      throw new AppError('INVALID_STATE', `order ${order.number} is ${order.status}, not waiting for a reply`);
    const onTime = order.due_at === null ? null : when.now.getTime() <= order.due_at.getTime();
    if (order.clock_id)
      await changeClock(tx, when.calendar, order.clock_id, { kind: 'stop', at: when.now }, actor.username);
    await repo.updateOrder(tx, id, {
      status: 'replied',
      reply: input.reply.trim(),
      repliedBy: actor.userId,
      repliedAt: when.now,
      repliedOnTime: onTime,
    });
    await repo.insertEvent(tx, {
      orderId: id,
      at: when.now,
      action: 'replied',
      byUser: actor.userId,
      note: input.reply.trim(),
    });
    return 'supervision.order_replied';
  });
}

/** The supervision office accepts the answer: the order is closed. */
export async function closeOrder(
  deps: OrderDeps,
  actor: Actor,
  id: string,
  input: { note?: string | null; version?: number },
  when: When,
): Promise<OrderView> {
  requireAct(actor);
  return transition(deps, actor, id, input.version, async (tx, order) => {
    if (order.status !== 'replied')
      throw new AppError(
        'INVALID_STATE',
        `order ${order.number} is ${order.status}; only a replied order can be closed`,
      );
    await repo.updateOrder(tx, id, {
      status: 'closed',
      closedBy: actor.userId,
      closedAt: when.now,
      closeNote: input.note ?? null,
    });
    await repo.insertEvent(tx, {
      orderId: id,
      at: when.now,
      action: 'closed',
      byUser: actor.userId,
      note: input.note ?? null,
    });
    return 'supervision.order_closed';
  });
}

/** The supervision office does not accept the answer: back to the office with a new reply clock. */
export async function sendBackOrder(
  deps: OrderDeps,
  actor: Actor,
  id: string,
  input: { note: string; version?: number },
  when: When,
): Promise<OrderView> {
  requireAct(actor);
  if (input.note.trim() === '') throw validationFailed('body.note', 'say why the answer is not accepted');
  return transition(deps, actor, id, input.version, async (tx, order) => {
    if (order.status !== 'replied')
      throw new AppError(
        'INVALID_STATE',
        `order ${order.number} is ${order.status}; only a replied order can be sent back`,
      );
    const round = order.rounds + 1;
    const clock = await startReplyClock(tx, when, id, round, order.reply_working_days);
    await repo.setClock(tx, id, clock.id);
    await repo.updateOrder(tx, id, { status: 'issued', rounds: round });
    await repo.insertEvent(tx, {
      orderId: id,
      at: when.now,
      action: 'sentBack',
      byUser: actor.userId,
      note: input.note.trim(),
    });
    await tellOffice(tx, deps, {
      id,
      number: order.number,
      orgId: order.org_id,
      caseNumber: order.case_number,
      reason: `退回重办：${input.note.trim()}`,
      dueDate: clock.dueDate,
      round,
    });
    return 'supervision.order_sent_back';
  });
}

async function transition(
  deps: OrderDeps,
  actor: Actor,
  id: string,
  version: number | undefined,
  change: (tx: Tx, order: OrderRow) => Promise<string>,
): Promise<OrderView> {
  return inTransaction(deps.db, async (tx) => {
    const before = await repo.findOrder(tx, id, true);
    if (!before) throw new AppError('NOT_FOUND', `supervision order ${id} not found`);
    if (version !== undefined && version !== before.version)
      throw new AppError('CONFLICT', `order ${before.number} changed (version ${before.version}, you saw ${version})`);
    const action = await change(tx, before);
    const after = await repo.findOrder(tx, id);
    if (!after) throw new AppError('INTERNAL', 'order vanished');
    await appendAudit(tx, {
      actorId: actor.userId,
      actorName: actor.username,
      requestId: actor.requestId,
      action,
      entityType: 'supervision_order',
      entityId: id,
      before: presentOrder(before),
      after: presentOrder(after),
    });
    return presentOrder(after);
  });
}

/** The supervision office sees every order; an office head sees the orders of their own office. */
export async function listOrders(
  db: Db,
  actor: Actor,
  filter: { status?: OrderStatus; kind?: OrderKind; orgId?: number; limit: number; offset: number },
): Promise<OrderView[]> {
  if (hasPermission(actor, 'supervision.act')) return (await repo.listOrders(db, filter)).map(presentOrder);
  if (actor.roles.includes('office_head'))
    return (await repo.listOrders(db, { ...filter, orgId: actor.orgId })).map(presentOrder);
  throw new AppError('FORBIDDEN', 'requires permission supervision.act or the office_head role');
}

export async function getOrder(db: Db, actor: Actor, id: string) {
  const order = await repo.findOrder(db, id);
  const mayRead =
    order &&
    (hasPermission(actor, 'supervision.act') || (actor.roles.includes('office_head') && actor.orgId === order.org_id));
  if (!order || !mayRead) throw new AppError('NOT_FOUND', `supervision order ${id} not found`);
  const events = await repo.listEvents(db, id);
  return {
    ...presentOrder(order),
    abilities: {
      reply: order.status === 'issued' && actor.roles.includes('office_head') && actor.orgId === order.org_id,
      close: order.status === 'replied' && hasPermission(actor, 'supervision.act'),
      sendBack: order.status === 'replied' && hasPermission(actor, 'supervision.act'),
    },
    events: events.map((e) => ({
      at: e.at.toISOString(),
      action: e.action,
      byUserId: e.by_user,
      byName: e.by_name,
      note: e.note,
    })),
  };
}

/** The orgs an order may be issued to — all of them, not only the issuer's scope. */
export async function listTargetOrgs(db: Db, actor: Actor) {
  requireAct(actor);
  return repo.listTargetOrgs(db);
}
