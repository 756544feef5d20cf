import { sql } from 'kysely';
import type { Effect } from '@guotu/engine';
import type { Executor, Tx } from '../../platform/db.ts';
import { notify, type NotifyDeps } from '../notifications/service.ts';

/**
 * 催办 (urge) and 传阅 (circulate) reach people through the notification outbox, inside the
 * command's transaction: the engine's `notify` effect names who — the assignee, or `role:<key>`
 * for the candidates of an unclaimed task, or the circulation's readers — and this resolves them
 * to users. One idempotency key per command (instance + its new version), so a retried
 * transaction never sends twice.
 */

interface Person {
  id: number;
  username: string;
  displayName: string;
}

/** Active users by username. */
async function usersNamed(db: Executor, usernames: readonly string[]): Promise<Person[]> {
  if (usernames.length === 0) return [];
  const rows = await db
    .selectFrom('users')
    .select(['id', 'username', 'display_name'])
    .where('username', 'in', [...usernames])
    .where('disabled', '=', false)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, username: r.username, displayName: r.display_name }));
}

/**
 * The candidates of a task (policy.ts): active users holding one of the roles who work inside
 * the task's unit without crossing into another bureau — every unit between the task's unit and
 * the user's own (the user's included) is an office (处室/科室).
 */
export async function candidateUsers(
  db: Executor,
  task: { orgPath: string; roles: readonly string[] },
): Promise<Person[]> {
  if (task.roles.length === 0) return [];
  const rows = await sql<{ id: number; username: string; display_name: string }>`
    select u.id, u.username, u.display_name
    from users u join org_units o on o.id = u.org_id
    where not u.disabled
      and exists (select 1 from user_roles r where r.user_id = u.id and r.role_key = any(${[...task.roles]}::text[]))
      and o.path like ${task.orgPath} || '%'
      and not exists (
        select 1 from org_units x
        where o.path like x.path || '%' and length(x.path) > length(${task.orgPath}) and x.kind <> 'office')
    order by u.id`.execute(db);
  return rows.rows.map((r) => ({ id: r.id, username: r.username, displayName: r.display_name }));
}

export interface TaskNotification {
  instance: { id: string; businessKey: string | null };
  /** the instance's version after the command: names the command */
  version: number;
  task: { name: string | null; node: string; orgPath: string };
  /** username of the one who urged or circulated */
  by: string;
  effects: readonly Effect[];
  /** circulate: also by SMS */
  sms: boolean;
}

/** Writes the outbox rows (and SMS jobs) for the command's `notify` effects; returns how many recipients. */
export async function notifyTaskCommand(tx: Tx, deps: NotifyDeps, input: TaskNotification): Promise<number> {
  let told = 0;
  const [sender] = await usersNamed(tx, [input.by]);
  const senderName = sender?.displayName ?? input.by;
  for (const e of input.effects) {
    if (e.type !== 'notify') continue;
    const names = e.to.filter((x) => !x.startsWith('role:'));
    const roles = e.to.filter((x) => x.startsWith('role:')).map((x) => x.slice('role:'.length));
    const people = new Map<number, Person>();
    for (const p of await usersNamed(tx, names)) people.set(p.id, p);
    for (const p of await candidateUsers(tx, { orgPath: input.task.orgPath, roles })) people.set(p.id, p);
    const urge = e.kind === 'urge';
    const event = urge ? 'workflow.urged' : 'workflow.circulated';
    const common = {
      caseNumber: input.instance.businessKey ?? '（无编号）',
      taskName: input.task.name ?? input.task.node,
      message: e.message ?? '',
    };
    for (const person of people.values()) {
      if (person.username === input.by) continue; // nobody is told of their own act
      await notify(
        tx,
        {
          event,
          recipients: [{ userId: person.id }],
          channels: urge || input.sms ? ['sms', 'inApp'] : ['inApp'],
          variables: {
            ...common,
            recipientName: person.displayName,
            ...(urge ? { urgedBy: senderName } : { from: senderName }),
          },
          idempotencyKey: `${event}:${input.instance.id}:${input.version}`,
        },
        deps,
      );
      told += 1;
    }
  }
  return told;
}
