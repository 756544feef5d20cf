import { sql } from 'kysely';
import type { Executor } from '../../platform/db.ts';

export type AnomalyRule =
  'refusalWithoutReason' | 'repeatedReturns' | 'outOfOrder' | 'backDated' | 'selfDealing' | 'feeOutsideRules';

export interface AnomalyRow {
  rule: AnomalyRule;
  /** the workflow instance; for a fee, the case's (null before acceptance) */
  instance_id: string | null;
  business_key: string | null;
  org_id: number;
  task_key: string | null;
  by_user: string | null;
  at: Date;
  detail: string;
}

// A fee item's amount that is a plain number, with an optional 元 ("200", "1200.50元"); the
// number is the first group. Anything else ("按…标准") is not compared.
const feeAmountPattern = '^\\s*([0-9]+(?:\\.[0-9]+)?)\\s*元?\\s*$';

// Decisions that refuse or disapprove (engine decisions are free text set by the forms).
const refusals = [
  'reject',
  'rejected',
  'refuse',
  'refused',
  'disapprove',
  'disapproved',
  'deny',
  'denied',
  '不予受理',
  '不予许可',
  '不同意',
  '不批准',
  '驳回',
];

/**
 * Anomalies beyond time, each rule one set-based statement over the workflow and audit tables:
 * - refusalWithoutReason: a task completed with a refusing decision and an empty opinion
 *   (行政许可法 §38 ¶2: a refusal must state its reasons);
 * - repeatedReturns: an instance returned (回退) `minReturns` times or more;
 * - outOfOrder: a history entry timed earlier than the entry recorded before it (back-dated step);
 * - backDated: a case whose start time is earlier than the audit record of its start by more than
 *   `toleranceMinutes` (registered late / handled outside the system);
 * - selfDealing: the user who completed a task is the one who started the instance (an application
 *   of their own);
 * - feeOutsideRules: a fee recorded on a case (case_fees) that the case's matter version does not
 *   allow — the matter charges nothing (`fees.charged` false), the item is not one of its fee
 *   items, or the amount differs from the item's amount when that amount is a plain number
 *   ("200", "200.00", "200元"; text such as "按…标准" is not compared). One row per fee, with the
 *   first reason that applies; a voided fee (作废, 0019) counts for nothing — its correction, if
 *   any, is judged instead. Relatives' companies need data we do not hold yet.
 */
export async function findAnomalies(
  db: Executor,
  options: { minReturns: number; toleranceMinutes: number; rule?: AnomalyRule; limit: number },
): Promise<AnomalyRow[]> {
  const want = (rule: AnomalyRule) => options.rule === undefined || options.rule === rule;
  const parts = [];
  if (want('refusalWithoutReason')) {
    parts.push(sql`select 'refusalWithoutReason' as rule, h.instance_id::text, i.business_key, i.org_id, h.task_key, h.by_user, h.at, 'decision ' || h.decision as detail
      from wf_history h join wf_instances i on i.id = h.instance_id
      where h.type = 'task.completed' and lower(coalesce(h.decision, '')) in (${sql.join(refusals)}) and btrim(coalesce(h.opinion, '')) = ''`);
  }
  if (want('repeatedReturns')) {
    parts.push(sql`select 'repeatedReturns' as rule, h.instance_id::text, i.business_key, i.org_id, null as task_key, null as by_user, max(h.at) as at, count(*)::text || ' returns' as detail
      from wf_history h join wf_instances i on i.id = h.instance_id
      where h.type = 'task.returned' group by h.instance_id, i.business_key, i.org_id having count(*) >= ${options.minReturns}`);
  }
  if (want('outOfOrder')) {
    parts.push(sql`select 'outOfOrder' as rule, x.instance_id::text, i.business_key, i.org_id, x.task_key, x.by_user, x.at, x.type || ' at ' || to_char(x.at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') || ' after an entry at ' || to_char(x.prev_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') as detail
      from (select h.*, lag(h.at) over (partition by h.instance_id order by h.id) as prev_at from wf_history h) x
      join wf_instances i on i.id = x.instance_id
      where x.at < x.prev_at`);
  }
  if (want('backDated')) {
    parts.push(sql`select 'backDated' as rule, i.id::text as instance_id, i.business_key, i.org_id, null as task_key, a.actor_name as by_user, i.started_at as at,
        'started ' || to_char(i.started_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') || ', recorded ' || to_char(a.at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') as detail
      from wf_instances i join audit_log a on a.entity_type = 'workflow_instance' and a.entity_id = i.id::text and a.action = 'workflow.start'
      where i.started_at < a.at - make_interval(mins => ${options.toleranceMinutes})`);
  }
  if (want('selfDealing')) {
    parts.push(sql`select 'selfDealing' as rule, t.instance_id::text, i.business_key, i.org_id, t.task_key, t.completed_by as by_user, t.completed_at as at, 'task ' || coalesce(t.name, t.node) || ' completed by the applicant' as detail
      from wf_tasks t join wf_instances i on i.id = t.instance_id join users u on u.id = i.started_by
      where t.status = 'completed' and t.completed_by = u.username`);
  }
  if (want('feeOutsideRules')) {
    parts.push(sql`select 'feeOutsideRules' as rule, c.workflow_instance_id::text as instance_id, c.case_number as business_key, c.org_id, null as task_key, u.username as by_user, f.collected_at as at,
        'fee ' || f.item_name || ' ' || f.amount::text || ': ' || w.why as detail
      from case_fees f
      join cases c on c.id = f.case_id
      join matter_versions mv on mv.code = c.matter_code and mv.version = c.matter_version
      left join users u on u.id = f.recorded_by
      left join lateral (
        select true as listed, substring(i->>'amount' from ${feeAmountPattern}) as plain
        from jsonb_array_elements(case when jsonb_typeof(mv.spec->'fees'->'items') = 'array' then mv.spec->'fees'->'items' else '[]'::jsonb end) i
        where btrim(i->>'name') = btrim(f.item_name)
        limit 1
      ) it on true
      cross join lateral (select case
          when coalesce(mv.spec->'fees'->>'charged', 'false') <> 'true' then 'the matter charges no fee'
          when it.listed is null then 'not a fee item of the matter'
          when it.plain is not null and it.plain::numeric <> f.amount then 'the matter sets ' || it.plain
        end as why) w
      where f.voided_at is null and w.why is not null`);
  }
  if (parts.length === 0) return [];
  const result =
    await sql<AnomalyRow>`select * from (${sql.join(parts, sql` union all `)}) z order by at desc limit ${options.limit}`.execute(
      db,
    );
  return result.rows;
}
