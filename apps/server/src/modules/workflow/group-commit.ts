import type { CommandResponse } from '@guotu/contracts';
import { inTransaction } from '../../platform/db.ts';
import { runCommandsTx, type CommandItem } from './commands.ts';
import { requestPushNow } from '../feed/service.ts';
import type { WorkflowDeps } from './host.ts';

/**
 * Group commit of workflow commands (ADR 0007, docs/workflow.md § Group commit). Task operations
 * and starts that arrive while a transaction is running queue up and are written together by the
 * next one: one transaction, a handful of statements and one commit for the whole group instead
 * of seven statements per command. Nothing waits on a timer — under light load every group has
 * one command and it runs at once; under load the groups grow by themselves.
 *
 * Each command stays all-or-nothing and isolated: it commits with its group or not at all; its
 * instance is locked for the whole transaction; a command the rules refuse is refused alone. If
 * the group's transaction fails (a listener refuses a command after the write, a deadlock, a
 * dropped connection), every command of the group is run again in a transaction of its own, so
 * one command's failure reaches only its own caller.
 */

export interface GroupCommitOptions {
  /**
   * group transactions running at once. Normally one: while a group is written the next one
   * gathers, so groups are as large as the load makes them (16 clients: ≈ 16 commands; splitting
   * them between two lanes running side by side measured slower, with p99 over 50 ms). The other
   * lanes are for groups that take longer than `spillAfterMs`.
   */
  lanes: number;
  /** most commands in one transaction */
  max: number;
  /** how long a running group may hold up the next before another lane takes it */
  spillAfterMs: number;
}

export const defaultGroupCommit: GroupCommitOptions = { lanes: 2, max: 64, spillAfterMs: 50 };

interface Waiting {
  item: CommandItem;
  resolve: (value: CommandResponse) => void;
  reject: (error: unknown) => void;
}

/** Counts since the process started, per deps (tests and the bench read them). */
export interface GroupCommitStats {
  /** group transactions run (reruns of single commands not counted) */
  transactions: number;
  /** commands submitted */
  commands: number;
  /** groups that failed and were rerun one command at a time */
  reruns: number;
}

class GroupCommit {
  private readonly queue: Waiting[] = [];
  private active = 0;
  readonly stats: GroupCommitStats = { transactions: 0, commands: 0, reruns: 0 };

  constructor(private readonly deps: WorkflowDeps) {}

  submit(item: CommandItem): Promise<CommandResponse> {
    this.stats.commands += 1;
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private scheduled = false;

  /**
   * Starts the next group after the current turn of the event loop, not at once: the callers a
   * committed group answered submit their next commands in the microtasks that follow, and they
   * should find one group to join, not one started by whichever came first.
   */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  /** when the most recently started running group began (performance.now()) */
  private lastStart = 0;
  private spillTimer: NodeJS.Timeout | null = null;

  private pump(): void {
    const { lanes, max, spillAfterMs } = { ...defaultGroupCommit, ...this.deps.groupCommit };
    while (this.active < lanes && this.queue.length > 0) {
      // With a group running, the next waits for it (and grows meanwhile) unless the running one
      // has taken longer than spillAfterMs: then another lane takes what waits, so a group held up
      // (a lock wait, a listener rendering a PDF) does not hold up every command of the process.
      if (this.active > 0) {
        const wait = spillAfterMs - (performance.now() - this.lastStart);
        if (wait > 0) {
          this.spillTimer ??= setTimeout(() => {
            this.spillTimer = null;
            this.pump();
          }, wait);
          return;
        }
      }
      const group = this.queue.splice(0, max);
      this.active += 1;
      this.lastStart = performance.now();
      void this.run(group).finally(() => {
        this.active -= 1;
        this.schedule();
      });
    }
  }

  private pushTimer: NodeJS.Timeout | null = null;
  private lastPush = Number.NEGATIVE_INFINITY;

  /**
   * The feed push request of committed groups (their events are in the database): at most one
   * per PUSH_INTERVAL_MS, the last one after the last group, so a push job starts after every
   * commit that recorded events, a fraction of a second later. A request lost with the process
   * (between a commit and this timer) is made by the feed's sweep (30 s).
   */
  private pushSoon(): void {
    const jobs = this.deps.jobs;
    if (this.pushTimer !== null || !jobs) return;
    const wait = Math.max(0, this.lastPush + PUSH_INTERVAL_MS - performance.now());
    this.pushTimer = setTimeout(() => {
      this.pushTimer = null;
      this.lastPush = performance.now();
      requestPushNow(jobs).catch((error: unknown) =>
        process.emitWarning(
          `feed push request after a workflow commit failed (the feed sweep asks again): ${error instanceof Error ? error.message : String(error)}`,
          'FeedWarning',
        ),
      );
    }, wait);
  }

  private async run(group: Waiting[]): Promise<void> {
    let outcomes;
    this.stats.transactions += 1;
    const push = { wanted: false };
    try {
      outcomes = await inTransaction(this.deps.db, (tx) =>
        runCommandsTx(
          this.deps,
          tx,
          group.map((w) => w.item),
          push,
        ),
      );
    } catch (error) {
      if (group.length === 1) {
        group[0]?.reject(error);
        return;
      }
      this.stats.reruns += 1;
      for (const w of group) await this.alone(w);
      return;
    }
    if (push.wanted) this.pushSoon();
    const later: Waiting[] = [];
    outcomes.forEach((outcome, k) => {
      const w = group[k];
      if (!w) return;
      if (outcome.ok === true) w.resolve(outcome.value);
      else if (outcome.ok === false) w.reject(outcome.error);
      else later.push(w);
    });
    // Second commands on an instance of this group: first in line for the next one.
    this.queue.unshift(...later);
  }

  private async alone(w: Waiting): Promise<void> {
    try {
      const push = { wanted: false };
      const [outcome] = await inTransaction(this.deps.db, (tx) => runCommandsTx(this.deps, tx, [w.item], push));
      if (push.wanted) this.pushSoon();
      if (outcome?.ok === true) w.resolve(outcome.value);
      else if (outcome?.ok === false) w.reject(outcome.error);
      else w.reject(new Error('a single command cannot wait for a later group'));
    } catch (error) {
      w.reject(error);
    }
  }
}

/** the group commit's feed push requests are at most this often (each a job the worker polls for) */
const PUSH_INTERVAL_MS = 200;

const groups = new WeakMap<WorkflowDeps, GroupCommit>();

function groupOf(deps: WorkflowDeps): GroupCommit {
  let group = groups.get(deps);
  if (!group) {
    group = new GroupCommit(deps);
    groups.set(deps, group);
  }
  return group;
}

/** Runs the command in the next group transaction of these deps; resolves when it has committed. */
export function submitCommand(deps: WorkflowDeps, item: CommandItem): Promise<CommandResponse> {
  return groupOf(deps).submit(item);
}

export function groupCommitStats(deps: WorkflowDeps): GroupCommitStats {
  return { ...groupOf(deps).stats };
}
