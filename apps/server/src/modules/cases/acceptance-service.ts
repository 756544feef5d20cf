import { AppError, type WorkingCalendar } from '@guotu/domain';
import type {
  AcceptCaseRequest,
  ExpediteCaseRequest,
  RefuseCaseRequest,
  RequestSupplementRequest,
} from '@guotu/contracts';
import { inTransaction, type Tx } from '../../platform/db.ts';
import { findClock } from '../clocks/repository.ts';
import { getMatterVersion } from '../matters/service.ts';
import type { MatterSpec } from '../matters/spec.ts';
import { commandMeta, startInstanceTxFor, type CommandMeta } from '../workflow/service.ts';
import {
  changeCaseClock,
  checkVersion,
  loadCase,
  nextCaseNumber,
  queryCodeHash,
  randomCode,
  receiptRef,
  recordEvent,
  requirePermission,
  requireStatus,
  scopePathOf,
  startCaseClock,
  type CaseDeps,
  type CaseParty,
} from './context.ts';
import { issueDocument } from './documents-service.ts';
import { tellApplicant } from './intake-service.ts';
import * as repo from './repository.ts';
import type { CaseRow, CaseTier } from './repository.ts';

/**
 * Acceptance at the window (受理, 行政许可法 §32): accept (case number, query code, 受理通知书, the
 * process started, the clocks), request a supplement (one complete list, 补正材料通知书, the
 * acceptance clock paused), refuse (reasons, 不予受理决定书), and the law's default acceptance of a
 * case nobody decided on in time. Expedite (特事特办). docs/cases.md.
 */

export function tierOf(org: Pick<repo.OrgRow, 'kind'>): CaseTier {
  return org.kind === 'county' ? 'county' : org.kind === 'city' ? 'city' : 'province';
}

/** The deciding tier: the last of the submission path, or the receiving tier. */
export function decidingTier(spec: MatterSpec, receiving: CaseTier): CaseTier {
  return spec.submissionPath?.at(-1) ?? receiving;
}

/** Clocks that start when the case reaches the deciding tier (at acceptance when there is no path). */
export async function startDecisionClocks(
  tx: Tx,
  calendar: WorkingCalendar,
  row: Pick<CaseRow, 'id' | 'expedite'>,
  spec: MatterSpec,
  at: Date,
  now: Date,
): Promise<void> {
  const id = String(row.id);
  if (!(await findClock(tx, { subjectType: 'case', subjectId: id, purpose: 'statutory' })))
    await startCaseClock(tx, calendar, row.id, 'statutory', spec.limits.statutory, at, now);
  if (spec.limits.promised && !(await findClock(tx, { subjectType: 'case', subjectId: id, purpose: 'promised' })))
    await startCaseClock(tx, calendar, row.id, 'promised', spec.limits.promised, at, now);
}

function dueDateOf(clock: { dueDate: string | null } | undefined): string {
  return clock?.dueDate ?? '待定';
}

type Acceptor = { kind: 'staff'; party: CaseParty & { kind: 'staff' } } | { kind: 'system' };

async function acceptTx(
  deps: CaseDeps,
  tx: Tx,
  row: CaseRow,
  spec: MatterSpec,
  by: Acceptor,
  calendar: WorkingCalendar,
  meta: CommandMeta,
  now: Date,
  opts: { byDefault: boolean; expediteTrackerId?: number },
): Promise<{ queryCode: string }> {
  const org = await repo.findOrgById(tx, row.orgId);
  if (!org) throw new AppError('INVALID_STATE', `case ${row.id} has no receiving bureau`);
  const caseNumber = await nextCaseNumber(tx, org, now);
  const queryCode = randomCode(8);
  const tier = tierOf(org);
  // 行政许可法 §32: not decided in time = accepted on the day of receipt
  const acceptedAt = opts.byDefault ? (row.receivedAt ?? now) : now;
  const party: CaseParty | 'system' = by.kind === 'staff' ? by.party : 'system';
  const actorName = by.kind === 'staff' ? by.party.actor.username : 'system';
  let tracker: { id: number; displayName: string } | undefined;
  if (opts.expediteTrackerId !== undefined) {
    if (!spec.expedite) throw new AppError('INVALID_STATE', `${spec.name} does not allow 特事特办`);
    tracker = await repo.userExists(tx, opts.expediteTrackerId);
    if (!tracker)
      throw new AppError('VALIDATION_FAILED', `no active user ${opts.expediteTrackerId}`, [
        { path: 'body.expediteTrackerId', message: 'unknown user' },
      ]);
  }
  await repo.updateCase(
    tx,
    row.id,
    {
      status: 'inReview',
      caseNumber,
      queryCodeHash: queryCodeHash(deps.config.sessionSecret, caseNumber, queryCode),
      acceptedAt,
      acceptedByDefault: opts.byDefault,
      tier,
      currentOrgId: org.id,
      ...(tracker ? { expedite: true, expediteTrackerId: tracker.id } : {}),
    },
    now,
  );
  const accepted: CaseRow = { ...row, caseNumber, tier, currentOrgId: org.id, status: 'inReview', acceptedAt };
  await changeCaseClock(tx, calendar, row.id, 'acceptance', { kind: 'stop', at: now }, actorName);
  if ((spec.submissionPath?.length ?? 0) > 1 && tier !== decidingTier(spec, tier))
    await startCaseClock(tx, calendar, row.id, `tier:${tier}`, 'licensing.lowerTierReview', acceptedAt, now);
  else await startDecisionClocks(tx, calendar, accepted, spec, acceptedAt, now);
  if (tracker && spec.limits.expedite)
    await startCaseClock(tx, calendar, row.id, 'expedite', spec.limits.expedite, acceptedAt, now);
  await recordEvent(tx, accepted, party, opts.byDefault ? 'acceptedByDefault' : 'accepted', now, {
    caseNumber,
    ...(opts.byDefault ? { receivedAt: row.receivedAt?.toISOString() ?? null } : {}),
    ...(tracker ? { expediteTracker: tracker.displayName } : {}),
  });
  const started = await startInstanceTxFor(
    deps.workflow,
    tx,
    by.kind === 'staff' ? by.party.actor : { userId: null, username: 'system' },
    {
      key: spec.processKey,
      businessKey: caseNumber,
      org: { id: org.id, path: org.path },
      variables: { caseId: row.id, matterCode: spec.code, expedite: tracker !== undefined },
    },
    meta,
  );
  await repo.updateCase(tx, row.id, { workflowInstanceId: started.instanceId }, now);
  const clock =
    (await findClock(tx, { subjectType: 'case', subjectId: String(row.id), purpose: 'expedite' })) ??
    (await findClock(tx, { subjectType: 'case', subjectId: String(row.id), purpose: 'statutory' })) ??
    (await findClock(tx, { subjectType: 'case', subjectId: String(row.id), purpose: `tier:${tier}` }));
  await issueDocument(deps, tx, accepted, {
    kind: 'acceptanceNotice',
    issuerName: org.name,
    issuedAt: now.toISOString(),
    queryCode,
    // a deadline in a year without a holiday notice is not known yet: the notice leaves it out
    ...(clock?.dueDate ? { dueDate: clock.dueDate } : {}),
    legalBasis: ['《中华人民共和国行政许可法》第三十二条'],
    number: caseNumber,
    issuedBy: by.kind === 'staff' ? by.party.actor.userId : null,
    issuerOrgId: org.id,
  });
  await tellApplicant(deps, tx, accepted, 'case.accepted', `case.accepted:${row.id}`, {
    queryCode,
    dueDate: dueDateOf(clock),
  });
  return { queryCode };
}

/** The accepting clerk belongs to the receiving bureau. */
async function assertReceivingBureau(tx: Tx, party: CaseParty & { kind: 'staff' }, row: CaseRow): Promise<void> {
  if ((await scopePathOf(tx, party.actor)) !== row.orgPath)
    throw new AppError('FORBIDDEN', `only ${row.orgName} accepts this application`);
}

interface WindowDecision {
  tx: Tx;
  row: CaseRow;
  spec: MatterSpec;
  staff: CaseParty & { kind: 'staff' };
  calendar: WorkingCalendar;
  now: Date;
}

/**
 * The frame of every decision at acceptance (受理 / 补正 / 不予受理): `case.accept`, the case
 * locked and still waiting, the version as read, the clerk of the receiving bureau — then `work`
 * in the same transaction.
 */
async function windowDecision<T>(
  deps: CaseDeps,
  party: CaseParty,
  id: number,
  version: number,
  work: (d: WindowDecision) => Promise<T>,
): Promise<T> {
  requirePermission(party, 'case.accept');
  const staff = party as CaseParty & { kind: 'staff' };
  const calendar = await deps.calendar.get();
  const now = deps.now();
  return inTransaction(deps.db, async (tx) => {
    const row = await loadCase(tx, party, id, { forUpdate: true });
    requireStatus(row, 'submitted');
    checkVersion(row, version);
    await assertReceivingBureau(tx, staff, row);
    const spec = (await getMatterVersion(tx, row.matterCode, row.matterVersion)).spec;
    return work({ tx, row, spec, staff, calendar, now });
  });
}

export async function acceptCase(
  deps: CaseDeps,
  party: CaseParty,
  id: number,
  req: AcceptCaseRequest,
): Promise<{ queryCode: string }> {
  const meta = await commandMeta(deps.workflow, requirePermission(party, 'case.accept'));
  return windowDecision(deps, party, id, req.version, ({ tx, row, spec, staff, calendar, now }) =>
    acceptTx(deps, tx, row, spec, { kind: 'staff', party: staff }, calendar, meta, now, {
      byDefault: false,
      ...(req.expediteTrackerId !== undefined ? { expediteTrackerId: req.expediteTrackerId } : {}),
    }),
  );
}

export async function requestSupplement(
  deps: CaseDeps,
  party: CaseParty,
  id: number,
  req: RequestSupplementRequest,
): Promise<void> {
  const items = req.items.map((i, n) => {
    if (!i.message.trim())
      throw new AppError('VALIDATION_FAILED', 'every item says what is missing or wrong', [
        { path: `body.items.${n}.message`, message: 'required' },
      ]);
    return { materialKey: i.materialKey ?? null, message: i.message.trim() };
  });
  if (items.length === 0)
    throw new AppError('VALIDATION_FAILED', 'a supplement request lists what is missing (one complete list)', [
      { path: 'body.items', message: 'at least one item' },
    ]);
  await windowDecision(deps, party, id, req.version, async ({ tx, row, spec, staff, calendar, now }) => {
    const actor = staff.actor;
    const nameOf = new Map(spec.materials.map((m) => [m.key, m.name]));
    items.forEach((i, n) => {
      if (i.materialKey !== null && !nameOf.has(i.materialKey))
        throw new AppError('VALIDATION_FAILED', `matter ${spec.code} has no material "${i.materialKey}"`, [
          { path: `body.items.${n}.materialKey`, message: 'unknown material' },
        ]);
    });
    const round = ((await repo.listSupplements(tx, id)).at(-1)?.round ?? 0) + 1;
    await repo.insertSupplement(tx, { caseId: id, round, items, note: req.note ?? null, by: actor.userId, at: now });
    await repo.updateCase(tx, id, { status: 'supplementRequested' }, now);
    // 行政许可法 §32 ¶1(四): one complete notice; the acceptance clock waits for the applicant
    await changeCaseClock(
      tx,
      calendar,
      id,
      'acceptance',
      { kind: 'pause', pauseKind: 'supplement', reason: `补正（第${round}次）`, at: now },
      actor.username,
    );
    const org = await repo.findOrgById(tx, row.orgId);
    await issueDocument(deps, tx, row, {
      kind: 'supplementNotice',
      issuerName: org?.name ?? row.orgName,
      issuedAt: now.toISOString(),
      supplementItems: items.map((i) => ({
        materialName: i.materialKey ? (nameOf.get(i.materialKey) ?? null) : null,
        message: i.message,
      })),
      legalBasis: ['《中华人民共和国行政许可法》第三十二条第一款第（四）项'],
      number: receiptRef(row),
      issuedBy: actor.userId,
      issuerOrgId: row.orgId,
    });
    await recordEvent(tx, row, party, 'supplementRequested', now, { round, items, note: req.note ?? null });
    await tellApplicant(deps, tx, row, 'case.supplement_requested', `case.supplement_requested:${id}:${round}`, {
      missingMaterials: items
        .map((i, n) => `${n + 1}.${i.materialKey ? `${nameOf.get(i.materialKey)}：` : ''}${i.message}`)
        .join('；'),
    });
  });
}

export async function refuseCase(deps: CaseDeps, party: CaseParty, id: number, req: RefuseCaseRequest): Promise<void> {
  const reason = req.reason.trim();
  if (!reason)
    throw new AppError('VALIDATION_FAILED', 'a refusal states its reasons (行政许可法 §38)', [
      { path: 'body.reason', message: 'required' },
    ]);
  await windowDecision(deps, party, id, req.version, async ({ tx, row, staff, calendar, now }) => {
    const actor = staff.actor;
    await repo.updateCase(tx, id, { status: 'refused', decisionReason: reason }, now);
    await changeCaseClock(tx, calendar, id, 'acceptance', { kind: 'stop', at: now }, actor.username);
    await issueDocument(deps, tx, row, {
      kind: 'refusalDecision',
      issuerName: row.orgName,
      issuedAt: now.toISOString(),
      reasons: reason,
      remedies: true,
      legalBasis: ['《中华人民共和国行政许可法》第三十二条第一款'],
      number: receiptRef(row),
      issuedBy: actor.userId,
      issuerOrgId: row.orgId,
    });
    await recordEvent(tx, row, party, 'refused', now, { reason });
    await tellApplicant(deps, tx, row, 'case.refused', `case.refused:${id}`, { reason });
  });
}

export async function expediteCase(
  deps: CaseDeps,
  party: CaseParty,
  id: number,
  req: ExpediteCaseRequest,
): Promise<void> {
  requirePermission(party, 'case.accept', 'case.approve');
  if (!req.reason.trim())
    throw new AppError('VALIDATION_FAILED', '特事特办 needs a reason', [{ path: 'body.reason', message: 'required' }]);
  const calendar = await deps.calendar.get();
  const now = deps.now();
  await inTransaction(deps.db, async (tx) => {
    const row = await loadCase(tx, party, id, { forUpdate: true });
    requireStatus(row, 'inReview');
    checkVersion(row, req.version);
    if (row.expedite) throw new AppError('INVALID_STATE', `case ${id} is already 特事特办`);
    const spec = (await getMatterVersion(tx, row.matterCode, row.matterVersion)).spec;
    if (!spec.expedite || !spec.limits.expedite)
      throw new AppError('INVALID_STATE', `${spec.name} does not allow 特事特办`);
    const tracker = await repo.userExists(tx, req.trackerId);
    if (!tracker)
      throw new AppError('VALIDATION_FAILED', `no active user ${req.trackerId}`, [
        { path: 'body.trackerId', message: 'unknown user' },
      ]);
    await repo.updateCase(tx, id, { expedite: true, expediteTrackerId: tracker.id }, now);
    await startCaseClock(tx, calendar, id, 'expedite', spec.limits.expedite, now, now);
    await recordEvent(tx, row, party, 'expedited', now, { tracker: tracker.displayName, reason: req.reason.trim() });
  });
}

/**
 * The law's default (行政许可法 §32 last paragraph): a case still waiting for acceptance when its
 * acceptance clock ran out is accepted as of its receipt, flagged, and its process starts. One
 * transaction per case; a case decided meanwhile is left alone.
 */
export async function acceptOverdueSubmissions(deps: CaseDeps): Promise<number> {
  const now = deps.now();
  const ids = await repo.listOverdueAcceptances(deps.db, now, 100);
  let accepted = 0;
  for (const id of ids) {
    const calendar = await deps.calendar.get();
    const meta = await commandMeta(deps.workflow, null);
    const done = await inTransaction(deps.db, async (tx) => {
      const row = await repo.findCase(tx, id, { forUpdate: true });
      if (row?.status !== 'submitted') return false;
      const clock = await findClock(tx, { subjectType: 'case', subjectId: String(id), purpose: 'acceptance' });
      if (!clock || clock.stoppedAt || !clock.dueAt || clock.dueAt >= now) return false;
      const spec = (await getMatterVersion(tx, row.matterCode, row.matterVersion)).spec;
      await acceptTx(deps, tx, row, spec, { kind: 'system' }, calendar, meta, now, { byDefault: true });
      return true;
    });
    if (done) accepted += 1;
  }
  return accepted;
}
