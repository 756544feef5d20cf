import { sql } from 'kysely';
import type { Executor } from '../../platform/db.ts';

/**
 * What the supervision module may know about workflow steps, by their clocks — the one place it
 * reads the workflow tables for alerts (docs/supervision.md). Read-only, set-based.
 */
export interface StepOfClock {
  clockId: string;
  taskId: string;
  /** the step's display name (the node id when it has none) */
  stepName: string;
  /** the instance's business key (案件编号), if any */
  caseNumber: string | null;
  /** username of the assignee, null while the step is unclaimed */
  assignee: string | null;
  /** materialised path of the org the step belongs to */
  orgPath: string;
}

/** The workflow steps (tasks) running on these clocks; clocks of other subjects are skipped. */
export async function stepsOfClocks(db: Executor, clockIds: readonly string[]): Promise<StepOfClock[]> {
  if (clockIds.length === 0) return [];
  const ids = sql.join(clockIds.map((id) => sql`${id}::bigint`));
  const r = await sql<{
    clock_id: string;
    task_id: string;
    step_name: string;
    case_number: string | null;
    assignee: string | null;
    org_path: string;
  }>`select t.clock_id::text as clock_id, t.id::text as task_id, coalesce(t.name, t.node) as step_name,
      i.business_key as case_number, t.assignee, t.org_path
    from wf_tasks t join wf_instances i on i.id = t.instance_id
    where t.clock_id in (${ids})
    order by t.clock_id, t.id`.execute(db);
  return r.rows.map((row) => ({
    clockId: row.clock_id,
    taskId: row.task_id,
    stepName: row.step_name,
    caseNumber: row.case_number,
    assignee: row.assignee,
    orgPath: row.org_path,
  }));
}
