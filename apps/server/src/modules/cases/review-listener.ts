import { AppError, type WorkingCalendar } from '@guotu/domain';
import type { Tx } from '../../platform/db.ts';
import { getMatterVersion } from '../matters/service.ts';
import type { MatterSpec } from '../matters/spec.ts';
import type { WorkflowChange, WorkflowListener } from '../workflow/service.ts';
import { decidingTier, startDecisionClocks, tierOf } from './acceptance-service.ts';
import {
  changeCaseClock,
  recordEvent,
  shanghaiYear,
  startCaseClock,
  type CaseDeps,
  type CaseParty,
} from './context.ts';
import { issueDocument } from './documents-service.ts';
import { tellApplicant } from './intake-service.ts';
import * as repo from './repository.ts';
import type { CaseRow, CaseTier } from './repository.ts';

/**
 * The case follows its process (docs/cases.md § States): inside every workflow command's
 * transaction this listener turns the command's history into case events, moves the case between
 * tiers with their clocks (上报 / 转报 / 退回), records the leader's decision on the `approve` step
 * and issues the reply on the `issue` step. Throwing refuses the command.
 *
 * Conventions of a matter's process: the decision step has node id `approve` (decision
 * `approve` | `reject`, a rejection needs an opinion), the issuing step has node id `issue`.
 */

export const DECISION_NODE = 'approve';
export const ISSUE_NODE = 'issue';

const tierRank: Record<CaseTier, number> = { county: 0, city: 1, province: 2 };

/** `tier:county`, then `tier:county:2` … for a tier the case comes back to after a return. */
async function nextTierPurpose(tx: Tx, caseId: number, tier: CaseTier): Promise<string> {
  const clocks = await tx
    .selectFrom('clocks')
    .select('purpose')
    .where('subject_type', '=', 'case')
    .where('subject_id', '=', String(caseId))
    .where('purpose', 'like', `tier:${tier}%`)
    .execute();
  return clocks.length === 0 ? `tier:${tier}` : `tier:${tier}:${clocks.length + 1}`;
}

async function stopTierClocks(tx: Tx, calendar: WorkingCalendar, caseId: number, tier: CaseTier, at: Date, by: string) {
  const open = await tx
    .selectFrom('clocks')
    .select('purpose')
    .where('subject_type', '=', 'case')
    .where('subject_id', '=', String(caseId))
    .where('purpose', 'like', `tier:${tier}%`)
    .where('stopped_at', 'is', null)
    .execute();
  for (const c of open) await changeCaseClock(tx, calendar, caseId, c.purpose, { kind: 'stop', at }, by);
}

/** The bureau a task's unit belongs to (an office counts as its bureau). */
async function bureauOfOrg(tx: Tx, orgId: number): Promise<repo.OrgRow | undefined> {
  let org = await repo.findOrgById(tx, orgId);
  while (org && org.kind === 'office' && org.parentId !== null) org = await repo.findOrgById(tx, org.parentId);
  return org;
}

async function moveTier(
  tx: Tx,
  row: CaseRow,
  spec: MatterSpec,
  to: { tier: CaseTier; org: repo.OrgRow },
  change: WorkflowChange,
): Promise<CaseRow> {
  const at = change.meta.now;
  const by = change.meta.actorName;
  const calendar = change.meta.calendar;
  const from = row.tier;
  if (from) await stopTierClocks(tx, calendar, row.id, from, at, by);
  const up = from === null || tierRank[to.tier] > tierRank[from];
  const type = !up ? 'returnedDown' : from === 'county' ? 'submittedUp' : 'forwarded';
  const deciding = decidingTier(spec, to.tier);
  if (to.tier === deciding) await startDecisionClocks(tx, calendar, row, spec, at, at);
  else
    await startCaseClock(
      tx,
      calendar,
      row.id,
      await nextTierPurpose(tx, row.id, to.tier),
      'licensing.lowerTierReview',
      at,
      at,
    );
  await repo.updateCase(tx, row.id, { tier: to.tier, currentOrgId: to.org.id }, at);
  await recordEvent(
    tx,
    row,
    partyOf(change),
    type,
    at,
    { from, to: to.tier, toOrg: to.org.name },
    { tier: to.tier, orgId: to.org.id },
  );
  return { ...row, tier: to.tier, currentOrgId: to.org.id, currentOrgName: to.org.name };
}

/**
 * Who the command's case events are recorded for: its user (only the fields events and audit
 * use), or the system for commands without one (timers, service jobs, default acceptance).
 */
function partyOf(change: WorkflowChange): CaseParty | 'system' {
  const userId = change.meta.actorId;
  if (userId === null) return 'system';
  return {
    kind: 'staff',
    actor: {
      userId,
      username: change.meta.actorName,
      roles: [],
      permissions: [],
      orgId: 0,
      orgPath: '',
      requestId: change.meta.requestId ?? '',
    },
  };
}

async function decide(
  deps: CaseDeps,
  tx: Tx,
  row: CaseRow,
  entry: { decision?: string; opinion?: string },
  change: WorkflowChange,
): Promise<CaseRow> {
  const at = change.meta.now;
  const opinion = (entry.opinion ?? change.meta.opinion ?? '').trim();
  if (entry.decision !== 'approve' && entry.decision !== 'reject')
    throw new AppError('VALIDATION_FAILED', 'the decision step completes with decision approve or reject', [
      { path: 'body.decision', message: 'approve or reject' },
    ]);
  // 行政许可法 §38: a disapproval states its reasons
  if (entry.decision === 'reject' && !opinion)
    throw new AppError('VALIDATION_FAILED', 'a disapproval states its reasons in the opinion (行政许可法 §38)', [
      { path: 'body.opinion', message: 'required when rejecting' },
    ]);
  const decision = entry.decision === 'approve' ? 'approved' : 'disapproved';
  await repo.updateCase(
    tx,
    row.id,
    { status: 'decided', decision, decidedAt: at, decisionReason: opinion || null },
    at,
  );
  for (const purpose of ['statutory', 'promised', 'expedite'])
    await changeCaseClock(tx, change.meta.calendar, row.id, purpose, { kind: 'stop', at }, change.meta.actorName);
  // 行政许可法 §44: the decision document is delivered within 10 days of the decision
  await startCaseClock(tx, change.meta.calendar, row.id, 'delivery', 'licensing.delivery', at, at);
  await recordEvent(tx, row, partyOf(change), 'decided', at, { decision, opinion });
  await tellApplicant(deps, tx, row, 'case.decided', `case.decided:${row.id}`, {
    decision: decision === 'approved' ? '准予（同意）' : '不予批准',
  });
  return { ...row, status: 'decided', decision, decidedAt: at, decisionReason: opinion || null };
}

async function issue(
  deps: CaseDeps,
  tx: Tx,
  row: CaseRow,
  taskOrgId: number,
  change: WorkflowChange,
): Promise<CaseRow> {
  const at = change.meta.now;
  if (row.status !== 'decided' || !row.decision)
    throw new AppError('INVALID_STATE', `case ${row.id} has no decision to issue`);
  const issuer = (await bureauOfOrg(tx, taskOrgId)) ?? (await repo.findOrgById(tx, row.orgId));
  if (!issuer) throw new AppError('INVALID_STATE', 'no issuing bureau');
  const year = shanghaiYear(at);
  const n = await repo.nextCounter(tx, issuer.id, year, 'approval');
  // 文号: 机关代字〔年份〕序号 (GB/T 9704-2012 §7.2.3)
  const documentNumber = `${issuer.kind === 'province' ? '鄂自然资批' : `${issuer.divisionCode ?? ''}自然资批`}〔${year}〕${n}号`;
  await issueDocument(deps, tx, row, {
    kind: row.decision === 'approved' ? 'approvalReply' : 'disapprovalDecision',
    issuerName: issuer.name,
    issuedAt: at.toISOString(),
    documentNumber,
    ...(row.decision === 'approved'
      ? { opinion: row.decisionReason ?? '经审查，同意。' }
      : { reasons: row.decisionReason ?? '', remedies: true }),
    legalBasis: ['《中华人民共和国行政许可法》第三十八条'],
    number: documentNumber,
    issuedBy: change.meta.actorId,
    issuerOrgId: issuer.id,
  });
  await repo.updateCase(tx, row.id, { status: 'issued', issuedAt: at, documentNumber }, at);
  await changeCaseClock(tx, change.meta.calendar, row.id, 'delivery', { kind: 'stop', at }, change.meta.actorName);
  await recordEvent(tx, row, partyOf(change), 'issued', at, { documentNumber });
  await tellApplicant(deps, tx, row, 'case.issued', `case.issued:${row.id}`, { documentNumber });
  return { ...row, status: 'issued', issuedAt: at, documentNumber };
}

export function caseWorkflowListener(deps: () => CaseDeps): WorkflowListener {
  return async (tx, change) => {
    const key = change.instance.businessKey;
    if (!key) return;
    // every command of every instance with a business key passes here: one indexed lookup first
    const found = await repo.findCaseRefByNumber(tx, key);
    if (!found) return;
    if (found.workflowInstanceId !== null && found.workflowInstanceId !== change.instance.id) return;
    let row = await repo.findCase(tx, found.id, { forUpdate: true });
    if (!row) return;
    const d = deps();
    const staff = partyOf(change);
    let spec: MatterSpec | undefined;
    const specOf = async (r: CaseRow) => (spec ??= (await getMatterVersion(tx, r.matterCode, r.matterVersion)).spec);
    for (const e of change.history) {
      const at = new Date(e.at);
      switch (e.type) {
        case 'task.created': {
          const dbId = e.taskId ? change.taskIds.get(e.taskId) : undefined;
          const task = dbId ? await repo.findTaskRow(tx, dbId) : undefined;
          if (!task) break;
          const bureau = await bureauOfOrg(tx, task.orgId);
          const tier = bureau ? tierOf(bureau) : row.tier;
          if (bureau && tier && tier !== row.tier)
            row = await moveTier(tx, row, await specOf(row), { tier, org: bureau }, change);
          await recordEvent(
            tx,
            row,
            'system',
            'stepStarted',
            at,
            { node: e.node, name: task.name, taskId: task.id },
            {
              tier,
              orgId: task.orgId,
            },
          );
          break;
        }
        case 'task.completed': {
          const task = e.taskId
            ? await tx
                .selectFrom('wf_tasks')
                .select(['id', 'name', 'org_id as orgId'])
                .where('instance_id', '=', change.instance.id)
                .where('task_key', '=', e.taskId)
                .executeTakeFirst()
            : undefined;
          await recordEvent(
            tx,
            row,
            staff,
            'stepCompleted',
            at,
            {
              node: e.node,
              name: task?.name ?? e.node,
              by: e.by ?? null,
              decision: e.decision ?? null,
              opinion: e.opinion ?? change.meta.opinion ?? null,
            },
            { orgId: task?.orgId ?? row.currentOrgId },
          );
          if (e.node === DECISION_NODE) row = await decide(d, tx, row, e, change);
          if (e.node === ISSUE_NODE) row = await issue(d, tx, row, task?.orgId ?? row.orgId, change);
          break;
        }
        case 'task.returned':
          await recordEvent(tx, row, staff, 'returned', at, {
            node: e.node,
            target: e.detail ?? null,
            opinion: e.opinion ?? null,
          });
          break;
        case 'task.withdrawn':
          await recordEvent(tx, row, staff, 'withdrawnStep', at, { node: e.node });
          break;
        case 'instance.suspended':
        case 'instance.resumed':
        case 'instance.terminated':
        case 'instance.jumped':
          await recordEvent(tx, row, staff, `process${e.type.charAt(9).toUpperCase()}${e.type.slice(10)}`, at, {
            detail: e.detail ?? null,
          });
          break;
        default:
          break;
      }
    }
  };
}
