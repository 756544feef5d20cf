import { AppError, hasPermission, type Actor } from '@guotu/domain';
import type { InstanceOperation, TaskOperation } from '@guotu/contracts';

/**
 * Who may do what with workflow tasks and instances. Pure rules over plain facts; the service
 * gathers the facts. The engine user id is the username (docs/workflow.md).
 *
 * - A task's candidates are users holding one of its candidate roles who work inside its org
 *   unit without crossing into another bureau: the task's unit lies between the caller's bureau
 *   and the caller's own unit. A department task goes to the department's offices, not to the
 *   county bureaus below it; a county task goes to the county's staff.
 * - The assignee acts on the task whatever their unit.
 * - `workflow.read` shows the tasks of units in the caller's scope (the "by org" view), read only.
 * - `workflow.admin`: suspend, resume, jump, terminate; sees everything.
 * A task the caller may not see answers NOT_FOUND, exactly like a missing one.
 */

/** The caller plus the path of their bureau: candidates never reach into a subordinate bureau. */
export type PolicyActor = Actor & { bureauPath: string };

export interface TaskFacts {
  assignee: string | null;
  owner: string | null;
  delegation: 'pending' | 'resolved' | null;
  candidateRoles: readonly string[];
  orgPath: string;
  status: 'open' | 'completed' | 'cancelled';
  completedBy: string | null;
  claimed: boolean;
}

export interface TaskContext {
  instanceStatus: string;
  /** the task is one signature of a countersign (multi-instance user task) */
  countersign: boolean;
  returnTargets: number;
  /** circulations of this task to the caller not yet read */
  unreadForMe: number;
  /** the caller is a recipient of a circulation of this task */
  ccToMe: boolean;
  /** what the caller's completion of this task created is still untouched (撤回 possible) */
  withdrawable: boolean;
}

export function isAssignee(actor: PolicyActor, task: TaskFacts): boolean {
  return task.assignee === actor.username;
}

export function isCandidate(actor: PolicyActor, task: TaskFacts): boolean {
  return task.assignee === null && hasCandidateRole(actor, task);
}

/** Holds a candidate role inside the task's unit, whoever holds the task now. */
function hasCandidateRole(actor: PolicyActor, task: TaskFacts): boolean {
  return (
    actor.orgPath.startsWith(task.orgPath) &&
    task.orgPath.startsWith(actor.bureauPath) &&
    task.candidateRoles.some((r) => (actor.roles as readonly string[]).includes(r))
  );
}

/**
 * A closed task stays visible to those who could have taken it, so the loser of a race to
 * complete it learns CONFLICT ("already completed by …") rather than a puzzling NOT_FOUND.
 */
export function maySeeTask(actor: PolicyActor, task: TaskFacts, ccToMe: boolean): boolean {
  if (task.status !== 'open' && hasCandidateRole(actor, task) && hasPermission(actor, 'workflow.read')) return true;
  if (hasPermission(actor, 'workflow.admin')) return true;
  if (!hasPermission(actor, 'workflow.read')) return false;
  return (
    isAssignee(actor, task) ||
    isCandidate(actor, task) ||
    task.owner === actor.username ||
    task.completedBy === actor.username ||
    ccToMe ||
    task.orgPath.startsWith(actor.orgPath)
  );
}

/** The operations the caller may issue on the task now — the buttons the UI shows. */
export function legalTaskOperations(actor: PolicyActor, task: TaskFacts, ctx: TaskContext): TaskOperation[] {
  const ops: TaskOperation[] = [];
  const running = ctx.instanceStatus === 'running';
  const live = ctx.instanceStatus === 'running' || ctx.instanceStatus === 'suspended';
  if (task.status === 'open' && live) {
    const mine = isAssignee(actor, task);
    const candidate = isCandidate(actor, task);
    const delegated = task.delegation === 'pending';
    if (running) {
      if ((mine || candidate) && !delegated) ops.push('complete');
      if (candidate) ops.push('claim');
      if (mine && task.claimed && !delegated) ops.push('unclaim');
      if (mine && !delegated && ctx.returnTargets > 0) ops.push('return');
      if (mine && !delegated) ops.push('transfer', 'delegate');
      if (mine && delegated) ops.push('resolve');
      if (mine && ctx.countersign && !delegated) ops.push('addSigner', 'removeSigner');
    }
    if (!mine) ops.push('urge');
    if (mine || candidate || hasPermission(actor, 'workflow.admin')) ops.push('circulate');
  }
  if (task.status === 'completed' && running && task.completedBy === actor.username && ctx.withdrawable)
    ops.push('withdraw');
  if (ctx.unreadForMe > 0 && live) ops.push('markRead');
  return ops;
}

export function legalInstanceOperations(actor: Actor, status: string): InstanceOperation[] {
  if (!hasPermission(actor, 'workflow.admin')) return [];
  if (status === 'running') return ['suspend', 'jump', 'terminate'];
  if (status === 'suspended') return ['resume', 'terminate'];
  return [];
}

/** Starting a process is receiving a case (窗口受理) or an administrator's act. */
export function assertMayStart(actor: Actor): void {
  if (!hasPermission(actor, 'case.receive') && !hasPermission(actor, 'workflow.admin')) {
    throw new AppError('FORBIDDEN', 'starting a process requires permission case.receive or workflow.admin');
  }
}

export function assertPermission(
  actor: Actor,
  permission: 'workflow.read' | 'workflow.deploy' | 'workflow.admin',
): void {
  if (!hasPermission(actor, permission)) throw new AppError('FORBIDDEN', `requires permission ${permission}`);
}
