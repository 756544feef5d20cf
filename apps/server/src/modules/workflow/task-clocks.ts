import type { TaskClockState } from '@guotu/contracts';
import type { Executor } from '../../platform/db.ts';

/**
 * The step clocks behind tasks, for the inbox (待办): due soon, overdue or paused. A task with
 * `guotu:timeLimit` has a clock (`wf_tasks.clock_id`); its due and warning instants were derived
 * by @guotu/domain when the clock was written (and are recomputed when the calendar changes), so
 * the state here is a comparison with the stored instants — the same rule as supervision's.
 */

export interface TaskClock {
  clockState: TaskClockState;
  /** the clock's due instant — the truth when the calendar changed since the task's copy was written */
  dueAt: Date | null;
  /** civil due date YYYY-MM-DD; null while paused or when the calendar does not cover it yet */
  dueDate: string | null;
}

interface ClockFacts {
  dueAt: Date | null;
  warnAt: Date | null;
  dueProblem: string | null;
  stoppedAt: Date | null;
  pauses: ReadonlyArray<{ from: string | number; to: string | number | null }>;
}

const ms = (instant: string | number): number => (typeof instant === 'number' ? instant : Date.parse(instant));

/**
 * A clock's state as of `now` (a stopped clock: as of its stop). Overdue wins over paused, as in
 * `evaluateClock`: a pause that began after the deadline does not make a late step timely.
 */
export function taskClockState(clock: ClockFacts, now: Date): TaskClockState {
  const at = (clock.stoppedAt ?? now).getTime();
  if (clock.dueAt && at > clock.dueAt.getTime()) return 'overdue';
  if (clock.stoppedAt) return 'normal';
  if (clock.dueProblem === 'paused') return 'paused';
  if (clock.pauses.some((p) => ms(p.from) <= at && (p.to === null || at < ms(p.to)))) return 'paused';
  if (clock.warnAt && at >= clock.warnAt.getTime()) return 'dueSoon';
  return 'normal';
}

/** The clock of each given task that has one, by task id (tasks without a time limit are absent). */
export async function clocksOfTasks(
  db: Executor,
  taskIds: readonly string[],
  now: Date = new Date(),
): Promise<Map<string, TaskClock>> {
  const out = new Map<string, TaskClock>();
  if (taskIds.length === 0) return out;
  const rows = await db
    .selectFrom('wf_tasks as t')
    .innerJoin('clocks as c', 'c.id', 't.clock_id')
    .select(['t.id', 'c.due_at', 'c.warn_at', 'c.due_date', 'c.due_problem', 'c.stopped_at', 'c.pauses'])
    .where('t.id', 'in', [...taskIds])
    .execute();
  for (const r of rows) {
    const clockState = taskClockState(
      {
        dueAt: r.due_at,
        warnAt: r.warn_at,
        dueProblem: r.due_problem,
        stoppedAt: r.stopped_at,
        pauses: (r.pauses ?? []) as ClockFacts['pauses'],
      },
      now,
    );
    out.set(String(r.id), { clockState, dueAt: r.due_at, dueDate: r.due_date ?? null });
  }
  return out;
}
