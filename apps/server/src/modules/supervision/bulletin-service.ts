import {
  AppError,
  evaluateClock,
  hasPermission,
  isAppError,
  parseCivilDate,
  shanghaiEndOfDayMs,
  shanghaiStartOfDayMs,
  type Actor,
  type CivilDate,
  type ClockPause,
  type WorkingCalendar,
} from '@guotu/domain';
import { inTransaction, type Db } from '../../platform/db.ts';
import { appendAudit } from '../audit/repository.ts';
import * as repo from './bulletin-repository.ts';
import { periodContaining, previousPeriod, type BulletinPeriod, type BulletinPeriodKind } from './bulletin-period.ts';
import { defaultWeights, efficiencyScore, validWeights, type EfficiencyWeights, type ScoreInput } from './scores.ts';

export type { BulletinPeriodKind };

const WEIGHTS_KEY = 'efficiencyWeights';

interface Tally extends ScoreInput {
  durationSum: number;
  durationCount: number;
  limitSum: number;
  usedSum: number;
}

const emptyTally = (): Tally => ({
  steps: 0,
  onTime: 0,
  withAlert: 0,
  usedOfLimit: null,
  orders: 0,
  ordersLate: 0,
  durationSum: 0,
  durationCount: 0,
  limitSum: 0,
  usedSum: 0,
});
const rate = (n: number, d: number) => (d > 0 ? Math.round((1000 * n) / d) / 10 : null);
const average = (t: Tally) => (t.durationCount > 0 ? Math.round((10 * t.durationSum) / t.durationCount) / 10 : null);

/**
 * Working days a step took, without the days its clock was paused (补正, special procedures):
 * the working days in (created, completed] less the paused ones, counted by the domain's clock
 * evaluation (a pause's first day counts, counting resumes the day after it ends). Undefined
 * beyond the calendar's coverage.
 */
function workingDaysUsed(
  calendar: WorkingCalendar,
  from: Date,
  to: Date,
  pauses: readonly ClockPause[],
): number | undefined {
  try {
    return evaluateClock(calendar, { unit: 'workday', start: from, limit: 1, pauses, stoppedAt: to }, to).elapsed;
  } catch (error) {
    if (isAppError(error) && error.code === 'CALENDAR_NOT_COVERED') return undefined;
    throw error;
  }
}

export async function getWeights(db: Db): Promise<EfficiencyWeights> {
  const stored = await repo.findSetting(db, WEIGHTS_KEY);
  return validWeights(stored) ? stored : defaultWeights;
}

export async function readWeights(db: Db, actor: Actor): Promise<EfficiencyWeights> {
  if (!hasPermission(actor, 'supervision.read'))
    throw new AppError('FORBIDDEN', 'requires permission supervision.read');
  return getWeights(db);
}

export async function updateWeights(db: Db, actor: Actor, weights: EfficiencyWeights): Promise<EfficiencyWeights> {
  if (!hasPermission(actor, 'supervision.act')) throw new AppError('FORBIDDEN', 'requires permission supervision.act');
  if (!validWeights(weights))
    throw new AppError('VALIDATION_FAILED', 'weights must be non-negative numbers, at least one positive', [
      { path: 'body', message: 'onTime, noWarning, speed, orders ≥ 0, not all 0' },
    ]);
  return inTransaction(db, async (tx) => {
    const before = await repo.findSetting(tx, WEIGHTS_KEY);
    await repo.saveSetting(tx, WEIGHTS_KEY, weights, actor.userId);
    await appendAudit(tx, {
      actorId: actor.userId,
      actorName: actor.username,
      requestId: actor.requestId,
      action: 'supervision.weights_changed',
      entityType: 'supervision_settings',
      entityId: WEIGHTS_KEY,
      before,
      after: weights,
    });
    return weights;
  });
}

/**
 * The bulletin (通报) of one week, month or quarter: on-time rate and average duration of the
 * steps finished in it, the red cards, the cards by office, the supervision orders, and the
 * efficiency scores of offices and people.
 */
export async function buildBulletin(
  db: Db,
  actor: Actor,
  input: { kind: BulletinPeriodKind; date?: CivilDate },
  calendar: WorkingCalendar,
  now: Date,
) {
  if (!hasPermission(actor, 'supervision.read'))
    throw new AppError('FORBIDDEN', 'requires permission supervision.read');
  const period: BulletinPeriod = input.date
    ? periodContaining(input.kind, input.date)
    : previousPeriod(input.kind, now);
  const from = new Date(shanghaiStartOfDayMs(parseCivilDate(period.from)));
  const to = new Date(shanghaiEndOfDayMs(parseCivilDate(period.to)));
  const [steps, overdue, alerts, orders, weights] = await Promise.all([
    repo.finishedSteps(db, from, to),
    repo.overdueSteps(db, from, to),
    repo.alertsByOffice(db, from, to),
    repo.ordersInPeriod(db, from, to),
    getWeights(db),
  ]);

  const total = emptyTally();
  const offices = new Map<number, { name: string; tally: Tally }>();
  const people = new Map<string, { name: string; orgName: string; tally: Tally }>();
  const officeOf = (id: number, name: string) =>
    offices.get(id) ?? offices.set(id, { name, tally: emptyTally() }).get(id)!;
  for (const s of steps) {
    const used = workingDaysUsed(calendar, s.created_at, s.completed_at, s.pauses);
    const tallies = [total, officeOf(s.org_id, s.org_name).tally];
    if (s.completed_by) {
      const p =
        people.get(s.completed_by) ??
        people
          .set(s.completed_by, { name: s.person_name ?? s.completed_by, orgName: s.org_name, tally: emptyTally() })
          .get(s.completed_by)!;
      tallies.push(p.tally);
    }
    for (const t of tallies) {
      t.steps += 1;
      if (s.due_at === null || s.completed_at.getTime() <= s.due_at.getTime()) t.onTime += 1;
      if (s.had_alert) t.withAlert += 1;
      if (used !== undefined) {
        t.durationSum += used;
        t.durationCount += 1;
        if (s.unit === 'workday') {
          t.usedSum += used;
          t.limitSum += s.limit_value;
        }
      }
    }
  }
  for (const o of orders) {
    for (const t of [total, officeOf(o.org_id, o.org_name).tally]) {
      t.orders += 1;
      if (o.replied_on_time === false) t.ordersLate += 1;
    }
  }
  for (const t of [total, ...[...offices.values()].map((o) => o.tally), ...[...people.values()].map((p) => p.tally)])
    t.usedOfLimit = t.limitSum > 0 ? t.usedSum / t.limitSum : null;
  const alertsOf = new Map(alerts.map((a) => [a.org_id, a]));
  for (const a of alerts) officeOf(a.org_id, a.org_name);

  return {
    period,
    generatedAt: now.toISOString(),
    weights,
    totals: {
      finishedSteps: total.steps,
      onTime: total.onTime,
      onTimeRate: rate(total.onTime, total.steps),
      averageWorkingDays: average(total),
      warnings: alerts.reduce((n, a) => n + a.warnings, 0),
      overdue: alerts.reduce((n, a) => n + a.overdue, 0),
      ordersIssued: orders.filter((o) => o.issued_at >= from && o.issued_at <= to).length,
      ordersClosed: orders.filter((o) => o.closed_at !== null && o.closed_at >= from && o.closed_at <= to).length,
    },
    byOffice: [...offices.entries()]
      .map(([orgId, o]) => ({
        orgId,
        orgName: o.name,
        finishedSteps: o.tally.steps,
        onTimeRate: rate(o.tally.onTime, o.tally.steps),
        averageWorkingDays: average(o.tally),
        warnings: alertsOf.get(orgId)?.warnings ?? 0,
        overdue: alertsOf.get(orgId)?.overdue ?? 0,
        orders: o.tally.orders,
        ...efficiencyScore(o.tally, weights),
      }))
      .sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || a.orgName.localeCompare(b.orgName, 'zh-CN')),
    people: [...people.entries()]
      .map(([username, p]) => ({
        username,
        name: p.name,
        orgName: p.orgName,
        finishedSteps: p.tally.steps,
        onTimeRate: rate(p.tally.onTime, p.tally.steps),
        averageWorkingDays: average(p.tally),
        ...efficiencyScore(p.tally, weights),
      }))
      .sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || a.username.localeCompare(b.username)),
    overdueList: overdue.map((o) => ({
      caseNumber: o.case_number,
      step: o.step,
      orgName: o.org_name,
      handler: o.assignee,
      dueAt: o.due_at.toISOString(),
      completedAt: o.completed_at?.toISOString() ?? null,
    })),
    orders: orders.map((o) => ({
      number: o.number,
      kind: o.kind,
      orgName: o.org_name,
      caseNumber: o.case_number,
      status: o.status,
      issuedAt: o.issued_at.toISOString(),
      closedAt: o.closed_at?.toISOString() ?? null,
      repliedOnTime: o.replied_on_time,
    })),
  };
}

export type Bulletin = Awaited<ReturnType<typeof buildBulletin>>;
