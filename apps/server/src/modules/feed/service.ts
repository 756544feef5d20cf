import { randomUUID } from 'node:crypto';
import { AppError, hasPermission, type Actor } from '@guotu/domain';
import { inTransaction, type Db, type Tx } from '../../platform/db.ts';
import type { Jobs } from '../../platform/jobs.ts';
import * as repo from './repository.ts';

/**
 * Case events for the provincial supervision system (docs/supervision.md § Feed). Written in the
 * caller's transaction; given a cursor by the sequencer after commit; pushed by webhook and
 * pullable by cursor.
 */
export type FeedEventType =
  | 'case.started'
  | 'step.started'
  | 'step.completed'
  | 'step.returned'
  | 'case.completed'
  | 'case.terminated'
  | 'clock.paused'
  | 'clock.resumed'
  // the case module's own events (docs/cases.md): application, acceptance, supplement start/end,
  // refusal, tier moves, special procedure (特事特办), decision, issuance, archive
  | 'case.applied'
  | 'case.accepted'
  | 'case.supplementRequested'
  | 'case.supplemented'
  | 'case.refused'
  | 'case.submittedUp'
  | 'case.forwarded'
  | 'case.returnedDown'
  | 'case.expedited'
  | 'case.decided'
  | 'case.issued'
  | 'case.archived';

/** Case-module event → feed type; events not listed stay internal to the case. */
const fromCase: Record<string, FeedEventType> = {
  submitted: 'case.applied',
  accepted: 'case.accepted',
  acceptedByDefault: 'case.accepted',
  supplementRequested: 'case.supplementRequested',
  resubmitted: 'case.supplemented',
  refused: 'case.refused',
  submittedUp: 'case.submittedUp',
  forwarded: 'case.forwarded',
  returnedDown: 'case.returnedDown',
  expedited: 'case.expedited',
  decided: 'case.decided',
  issued: 'case.issued',
  archived: 'case.archived',
};

/**
 * Hook for the case module: its events that the provincial system must see, in the caller's
 * transaction (pushed by the next push job or the sweep).
 */
export async function recordCaseEvent(
  tx: Tx,
  jobs: Pick<Jobs, 'enqueue'> | null,
  input: {
    type: string;
    caseId: number;
    caseNumber: string | null;
    receiptRef: string;
    orgId: number | null;
    tier: string | null;
    at: Date;
    actor: string;
    data: Record<string, unknown>;
  },
): Promise<boolean> {
  const type = fromCase[input.type];
  if (!type) return false;
  await repo.insertEvents(tx, [
    {
      eventId: randomUUID(),
      type,
      occurredAt: input.at,
      payload: {
        caseNumber: input.caseNumber,
        receiptRef: input.receiptRef,
        caseId: input.caseId,
        orgId: input.orgId,
        tier: input.tier,
        step: null,
        actor: input.actor,
        ...input.data,
      },
    },
  ]);
  await requestPush(tx, jobs);
  return true;
}

export const FEED_QUEUE = 'feed.push';

/** Engine history → feed type; entries not listed are internal. */
const fromHistory: Record<string, FeedEventType> = {
  'instance.started': 'case.started',
  'task.created': 'step.started',
  'task.completed': 'step.completed',
  'task.returned': 'step.returned',
  'instance.completed': 'case.completed',
  'instance.terminated': 'case.terminated',
};

export interface HistoryLike {
  at: string;
  type: string;
  node?: string;
  taskId?: string;
  by?: string;
  decision?: string;
}

/**
 * Hook for the workflow host: the case events among the history entries of the commands of one
 * transaction (a group of commands, or one), as rows for `insertEventsSql`, which the host embeds
 * in its write statement (and then asks for a push). A step task created by the same command has
 * no id yet: its event names it by instance and key, and the statement reads the id of the row it
 * inserts.
 */
export function workflowEventRows(
  commands: ReadonlyArray<{
    instanceId: string;
    caseNumber: string | null;
    orgId: number;
    entries: readonly HistoryLike[];
    /** the db id of a task that existed before the command, by its engine task key */
    taskIdOf: (taskKey: string) => string | undefined;
  }>,
): Array<Parameters<typeof repo.insertEventsSql>[0][number]> {
  const events = [];
  for (const input of commands)
    for (const e of input.entries) {
      const type = fromHistory[e.type];
      if (!type) continue;
      const step = e.node === undefined || type.startsWith('case.') ? null : e.node;
      const known = e.taskId === undefined ? undefined : input.taskIdOf(e.taskId);
      const newTask =
        step !== null && e.taskId !== undefined && known === undefined
          ? { instanceId: input.instanceId, key: e.taskId }
          : undefined;
      events.push({
        eventId: randomUUID(),
        type,
        occurredAt: new Date(e.at),
        payload: {
          caseNumber: input.caseNumber,
          instanceId: input.instanceId,
          orgId: input.orgId,
          step: step === null ? null : { node: step, taskId: known ?? null },
          actor: e.by ?? null,
          ...(e.decision !== undefined ? { decision: e.decision } : {}),
        },
        ...(newTask ? { newTask } : {}),
      });
    }
  return events;
}

/** Hook for clocks: a pause (补正 supplement, 特别程序 special procedure …) or its end. */
export async function recordClockEvent(
  tx: Tx,
  input: {
    kind: 'pause' | 'resume';
    clockId: string;
    subjectType: string;
    subjectId: string;
    purpose: string;
    pauseKind?: string;
    reason?: string;
    at: Date;
  },
): Promise<void> {
  await repo.insertEvents(tx, [
    {
      eventId: randomUUID(),
      type: input.kind === 'pause' ? 'clock.paused' : 'clock.resumed',
      occurredAt: input.at,
      payload: {
        clock: {
          id: input.clockId,
          subjectType: input.subjectType,
          subjectId: input.subjectId,
          purpose: input.purpose,
        },
        ...(input.pauseKind ? { pauseKind: input.pauseKind } : {}),
        ...(input.reason ? { reason: input.reason } : {}),
      },
    },
  ]);
}

/** One push job at a time (singleton); the worker's sweep catches events recorded without jobs. */
export async function requestPush(tx: Tx, jobs: Pick<Jobs, 'enqueue'> | null): Promise<void> {
  if (jobs) await jobs.enqueue(tx, FEED_QUEUE, {}, { singletonKey: FEED_QUEUE });
}

/** The same request made after the events' transaction committed (the workflow's group commit). */
export async function requestPushNow(jobs: Pick<Jobs, 'send'>): Promise<void> {
  await jobs.send(FEED_QUEUE, {}, { singletonKey: FEED_QUEUE });
}

export async function sequenceFeed(db: Db): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await inTransaction(db, (tx) => repo.sequencePending(tx));
    total += n;
    if (n < 10000) return total;
  }
}

export interface FeedEvent {
  cursor: string;
  eventId: string;
  type: string;
  occurredAt: string;
  [key: string]: unknown;
}

export function presentEvent(r: repo.FeedRow): FeedEvent {
  return {
    cursor: r.cursor,
    eventId: r.event_id,
    type: r.type,
    occurredAt: new Date(r.occurred_at).toISOString(),
    ...r.payload,
  };
}

/** GET /api/v1/feed?after=&limit= : events after a cursor, oldest first. */
export async function pullFeed(
  db: Db,
  actor: Actor,
  query: { after: string; limit: number },
): Promise<{ events: FeedEvent[]; nextCursor: string }> {
  if (!hasPermission(actor, 'supervision.read'))
    throw new AppError('FORBIDDEN', 'requires permission supervision.read');
  await sequenceFeed(db);
  const rows = await repo.listAfter(db, query.after, query.limit);
  return { events: rows.map(presentEvent), nextCursor: rows.at(-1)?.cursor ?? query.after };
}
