import { legalReturnTargets } from '@guotu/engine';
import type { Executor } from '../../platform/db.ts';
import { getDefinition } from './host.ts';
import type { PolicyActor, TaskContext, TaskFacts } from './policy.ts';
import type * as repo from './repository.ts';

/** The facts the policy needs about a task and its instance, gathered from the loaded state. */

export function facts(t: repo.TaskRow): TaskFacts {
  return {
    assignee: t.assignee,
    owner: t.owner,
    delegation: t.delegation,
    candidateRoles: t.candidateRoles,
    orgPath: t.orgPath,
    status: t.status,
    completedBy: t.completedBy,
    claimed: t.claimed,
  };
}

export async function taskContext(
  tx: Executor,
  actor: PolicyActor,
  task: repo.TaskRow,
  loaded: repo.LoadedInstance,
): Promise<{
  returnTargets: Array<{ node: string; name?: string }>;
  cc: Array<repo.LoadedInstance['state']['circulations'][string]>;
  ctx: TaskContext;
}> {
  const state = loaded.state;
  const definition = await getDefinition(tx, loaded.row.key, loaded.row.definitionVersion);
  const open = state.tasks[task.taskKey];
  const returnTargets = open ? legalReturnTargets(definition, state, task.taskKey) : [];
  const cc = Object.values(state.circulations).filter(
    (c) => c.taskId === task.taskKey && c.to.includes(actor.username),
  );
  const completion = state.completions[task.taskKey];
  const withdrawable =
    completion !== undefined &&
    completion.createdTasks.length > 0 &&
    completion.createdTasks.every((k) => {
      const t = state.tasks[k];
      return t !== undefined && !t.claimed && t.delegation === undefined;
    });
  const token = open ? state.tokens[open.token] : undefined;
  return {
    returnTargets,
    cc,
    ctx: {
      instanceStatus: state.status,
      countersign: token?.mi === true,
      returnTargets: returnTargets.length,
      unreadForMe: cc.filter((c) => !(actor.username in c.readBy)).length,
      ccToMe: cc.length > 0,
      withdrawable,
    },
  };
}
