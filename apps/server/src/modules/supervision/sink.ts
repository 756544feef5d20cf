import { sql } from 'kysely';
import type { Tx } from '../../platform/db.ts';
import { notify, type NotifyDeps } from '../notifications/service.ts';
import { stepsOfClocks } from '../workflow/supervision-queries.ts';
import { ordersOfClocks } from './orders-repository.ts';
import { kindNames } from './orders-service.ts';
import type { AlertSink, RaisedAlert } from './service.ts';

/** What an alert is about, whatever its clock watches: a workflow step or a supervision order. */
interface AlertSubject {
  alert_id: string;
  level: 'warning' | 'overdue';
  due_at: Date;
  /** the step's name, or "督办单 督-2026-0001 回复" for an order */
  step_name: string;
  case_number: string;
  /** the step's assignee (told on a card); null for orders and unclaimed steps */
  assignee: string | null;
  /** the office whose head is told: the order's target org; null = the assignee's office */
  office_id: number | null;
  /** org path the escalation follows (bureaus on it) */
  org_path: string;
}

interface Recipient {
  alert_id: string;
  user_id: number;
  display_name: string;
}

/**
 * The subjects of these alerts: steps come from the workflow module (`stepsOfClocks`), orders
 * from the supervision orders. Alerts of clocks that are neither (none exist yet) are skipped.
 */
async function subjectsOf(tx: Tx, alertIds: readonly string[]): Promise<AlertSubject[]> {
  if (alertIds.length === 0) return [];
  const ids = sql.join(alertIds.map((id) => sql`${id}::bigint`));
  const alerts = (
    await sql<{
      id: string;
      clock_id: string;
      level: 'warning' | 'overdue';
      due_at: Date;
    }>`select id::text, clock_id::text, level, due_at from clock_alerts where id in (${ids}) order by id`.execute(tx)
  ).rows;
  const clockIds = [...new Set(alerts.map((a) => a.clock_id))];
  const steps = new Map((await stepsOfClocks(tx, clockIds)).map((s) => [s.clockId, s]));
  const orders = new Map((await ordersOfClocks(tx, clockIds)).map((o) => [o.clock_id, o]));
  const subjects: AlertSubject[] = [];
  for (const a of alerts) {
    const step = steps.get(a.clock_id);
    const order = orders.get(a.clock_id);
    const base = { alert_id: a.id, level: a.level, due_at: a.due_at };
    if (step)
      subjects.push({
        ...base,
        step_name: step.stepName,
        case_number: step.caseNumber ?? '—',
        assignee: step.assignee,
        office_id: null,
        org_path: step.orgPath,
      });
    else if (order)
      subjects.push({
        ...base,
        step_name: `${kindNames[order.kind]} ${order.number} 回复`,
        case_number: order.case_number ?? order.number,
        assignee: null,
        office_id: order.org_id,
        org_path: order.org_path,
      });
  }
  return subjects;
}

/**
 * Who must hear of an alert: on a card, the step's assignee and the head(s) of the assignee's
 * office (office_head in the same unit) — for an order, the heads of the office it was issued
 * to; on escalation, the supervision office (supervisor role) and the responsible leaders
 * (leader role) of the bureaus on the subject's org path (a user in an office — 纪检监察室 —
 * counts as a member of that office's bureau). One statement over users and roles for the batch.
 */
async function recipients(tx: Tx, subjects: readonly AlertSubject[], escalated: boolean): Promise<Recipient[]> {
  if (subjects.length === 0) return [];
  const rows = JSON.stringify(
    subjects.map((s) => ({ alert_id: s.alert_id, assignee: s.assignee, office_id: s.office_id, org_path: s.org_path })),
  );
  const roles = escalated ? sql`array['supervisor','leader']` : sql`array['office_head']`;
  const result = await sql<Recipient>`
    with s as (
      select * from jsonb_to_recordset(${rows}::jsonb) as x(alert_id text, assignee text, office_id int, org_path text)
    ), t as (
      select s.alert_id, s.assignee, s.org_path, coalesce(s.office_id, au.org_id) as office_id
      from s left join users au on au.username = s.assignee
    )
    select t.alert_id, u.id as user_id, u.display_name
    from t join users u on (
      (not ${escalated} and u.username = t.assignee)
      or (exists (select 1 from user_roles r where r.user_id = u.id and r.role_key = any(${roles}))
          and (case when ${escalated}
                    -- the user's bureau (an office counts as its parent bureau) must be on the subject's org path
                    then t.org_path like (select case when o.kind = 'office' then p.path else o.path end
                                          from org_units o left join org_units p on p.id = o.parent_id where o.id = u.org_id) || '%'
                    else u.org_id = t.office_id end))
    )
    where not u.disabled
    order by t.alert_id, u.id`.execute(tx);
  return result.rows;
}

function shanghaiDate(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

async function tell(tx: Tx, deps: NotifyDeps, alertIds: readonly string[], escalated: boolean): Promise<void> {
  const subjects = await subjectsOf(tx, alertIds);
  const byId = new Map(subjects.map((s) => [s.alert_id, s]));
  for (const r of await recipients(tx, subjects, escalated)) {
    const s = byId.get(r.alert_id);
    if (!s) continue;
    const event = s.level === 'overdue' ? 'clock.overdue' : 'clock.warning';
    const variables = {
      recipientName: r.display_name,
      caseNumber: s.case_number,
      stepName: s.step_name,
      dueDate: shanghaiDate(s.due_at),
      ...(s.level === 'overdue' ? { overdue: '已超时' } : { remaining: '即将到期' }),
    };
    await notify(
      tx,
      {
        event,
        recipients: [{ userId: r.user_id }],
        channels: ['sms', 'inApp'],
        variables,
        idempotencyKey: `alert:${s.alert_id}:${escalated ? 'escalated' : 'raised'}:${r.user_id}`,
      },
      deps,
    );
  }
}

/**
 * Alerts on workflow steps and on supervision orders' reply clocks → SMS and in-app messages,
 * in the supervision pass's transaction.
 */
export function notificationSink(deps: NotifyDeps): AlertSink {
  return {
    async alertsRaised(tx: Tx, _sample: readonly RaisedAlert[], raisedAt: Date) {
      // all alerts of this pass, not only the sample the pass returned
      const all = await sql<{
        id: string;
      }>`select id::text from clock_alerts where raised_at = ${raisedAt}::timestamptz order by id`.execute(tx);
      for (let i = 0; i < all.rows.length; i += 500) {
        await tell(
          tx,
          deps,
          all.rows.slice(i, i + 500).map((r) => r.id),
          false,
        );
      }
    },
    async alertsEscalated(tx: Tx, alerts: readonly RaisedAlert[]) {
      for (let i = 0; i < alerts.length; i += 500) {
        await tell(
          tx,
          deps,
          alerts.slice(i, i + 500).map((a) => a.id),
          true,
        );
      }
    },
  };
}
