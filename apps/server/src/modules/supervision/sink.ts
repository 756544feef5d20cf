import { sql } from 'kysely';
import type { Tx } from '../../platform/db.ts';
import { notify, type NotifyDeps } from '../notifications/service.ts';
import type { AlertSink, RaisedAlert } from './service.ts';

interface AlertTarget {
  alert_id: string;
  level: 'warning' | 'overdue';
  due_at: Date;
  escalated: boolean;
  task_name: string | null;
  case_number: string | null;
  user_id: number;
  display_name: string;
}

/**
 * Who must hear of an alert on a workflow step: the assignee and the head(s) of the assignee's
 * office (office_head in the same unit); on escalation, the supervision office (supervisor role)
 * and the responsible leaders (leader role) of the bureaus on the task's org path (a user in an
 * office — 纪检监察室 — counts as a member of that office's bureau). Read-only SQL over the workflow and user tables — kept here, beside the
 * only use, until a workflow service offers "handlers of these clocks" (see docs/adr).
 */
async function targets(tx: Tx, alertIds: readonly string[], escalated: boolean): Promise<AlertTarget[]> {
  if (alertIds.length === 0) return [];
  const ids = sql.join(alertIds.map((id) => sql`${id}::bigint`));
  const roles = escalated ? sql`array['supervisor','leader']` : sql`array['office_head']`;
  const result = await sql<AlertTarget>`
    with t as (
      select a.id::text as alert_id, a.level, a.due_at, wt.name as task_name, wi.business_key as case_number,
             wt.assignee, wt.org_path, au.org_id as assignee_org
      from clock_alerts a
      join wf_tasks wt on wt.clock_id = a.clock_id
      join wf_instances wi on wi.id = wt.instance_id
      left join users au on au.username = wt.assignee
      where a.id in (${ids})
    )
    select t.alert_id, t.level, t.due_at, ${escalated} as escalated, t.task_name, t.case_number, u.id as user_id, u.display_name
    from t join users u on (
      (not ${escalated} and u.username = t.assignee)
      or (exists (select 1 from user_roles r where r.user_id = u.id and r.role_key = any(${roles}))
          and (case when ${escalated}
                    -- the user's bureau (an office counts as its parent bureau) must be on the task's org path
                    then t.org_path like (select case when o.kind = 'office' then p.path else o.path end
                                          from org_units o left join org_units p on p.id = o.parent_id where o.id = u.org_id) || '%'
                    else u.org_id = t.assignee_org end))
    )
    where not u.disabled`.execute(tx);
  return result.rows;
}

function shanghaiDate(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

async function tell(tx: Tx, deps: NotifyDeps, rows: readonly AlertTarget[]): Promise<void> {
  for (const row of rows) {
    const event = row.level === 'overdue' ? 'clock.overdue' : 'clock.warning';
    const variables = {
      recipientName: row.display_name,
      caseNumber: row.case_number ?? '—',
      stepName: row.task_name ?? '—',
      dueDate: shanghaiDate(row.due_at),
      ...(row.level === 'overdue' ? { overdue: '已超时' } : { remaining: '即将到期' }),
    };
    await notify(
      tx,
      {
        event,
        recipients: [{ userId: row.user_id }],
        channels: ['sms', 'inApp'],
        variables,
        idempotencyKey: `alert:${row.alert_id}:${row.escalated ? 'escalated' : 'raised'}:${row.user_id}`,
      },
      deps,
    );
  }
}

/** Alerts on workflow steps → SMS and in-app messages, in the supervision pass's transaction. */
export function notificationSink(deps: NotifyDeps): AlertSink {
  return {
    async alertsRaised(tx: Tx, _sample: readonly RaisedAlert[], raisedAt: Date) {
      // all alerts of this pass, not only the sample the pass returned
      const all = await sql<{
        id: string;
      }>`select id::text from clock_alerts where raised_at = ${raisedAt}::timestamptz`.execute(tx);
      for (let i = 0; i < all.rows.length; i += 500) {
        await tell(
          tx,
          deps,
          await targets(
            tx,
            all.rows.slice(i, i + 500).map((r) => r.id),
            false,
          ),
        );
      }
    },
    async alertsEscalated(tx: Tx, alerts: readonly RaisedAlert[]) {
      for (let i = 0; i < alerts.length; i += 500) {
        await tell(
          tx,
          deps,
          await targets(
            tx,
            alerts.slice(i, i + 500).map((a) => a.id),
            true,
          ),
        );
      }
    },
  };
}
