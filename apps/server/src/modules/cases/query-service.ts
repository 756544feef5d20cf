import type { Readable } from 'node:stream';
import { AppError, evaluateClock, hasPermission, type WorkingCalendar } from '@guotu/domain';
import type {
  CaseAction,
  CaseClockState,
  CaseClockView,
  CaseDetail,
  CaseEventView,
  CaseList,
  CaseListQuery,
  CaseSummary,
  CaseTrackerCandidate,
  PublicProgress,
} from '@guotu/contracts';
import type { Executor } from '../../platform/db.ts';
import { toDomainClock } from '../clocks/service.ts';
import { listClocksOfSubject, listClocksOfSubjects, type ClockRow } from '../clocks/repository.ts';
import { readBlob } from '../blobs/service.ts';
import { getMatterVersion } from '../matters/service.ts';
import { loadCase, queryCodeHash, scopePathOf, type CaseDeps, type CaseParty } from './context.ts';
import { feeStatuses, feeViews } from './fees-service.ts';
import { problemsOf } from './intake-service.ts';
import * as repo from './repository.ts';
import type { CaseRow } from './repository.ts';

/** Reads of cases: the list, the detail, files and documents, the public progress query. */

const severity: Record<CaseClockState, number> = { stopped: 0, normal: 1, paused: 2, warning: 3, overdue: 4 };

export function clockView(calendar: WorkingCalendar, row: ClockRow, now: Date): CaseClockView {
  let state: CaseClockState = row.stoppedAt ? 'stopped' : 'normal';
  let pausedDays = 0;
  try {
    const e = evaluateClock(calendar, toDomainClock(row), now.toISOString(), {
      dueSoon: { elapsedFraction: row.warnFraction, remaining: row.warnRemaining },
    });
    pausedDays = e.pausedUnits;
    state =
      e.state === 'stopped'
        ? 'stopped'
        : e.state === 'overdue'
          ? 'overdue'
          : e.state === 'dueSoon'
            ? 'warning'
            : e.state === 'paused'
              ? 'paused'
              : 'normal';
  } catch {
    // a deadline in a year without a holiday notice: shown without a state, never guessed
  }
  return {
    purpose: row.purpose,
    ruleKey: row.ruleKey,
    unit: row.unit,
    limit: row.limit,
    startedAt: row.startedAt.toISOString(),
    dueAt: row.dueAt?.toISOString() ?? null,
    dueDate: row.dueDate,
    state,
    pausedDays,
    stoppedAt: row.stoppedAt?.toISOString() ?? null,
  };
}

function worst(clocks: readonly CaseClockView[]): { state: CaseClockState | null; dueDate: string | null } {
  const open = clocks.filter((c) => c.state !== 'stopped');
  if (open.length === 0) return { state: clocks.length > 0 ? 'stopped' : null, dueDate: null };
  const w = open.reduce((a, b) => (severity[b.state] > severity[a.state] ? b : a));
  const dates = open
    .map((c) => c.dueDate)
    .filter((d): d is string => d !== null)
    .sort();
  return { state: w.state, dueDate: dates[0] ?? null };
}

/** The clock views of many cases with one query (list pages, the clock-state filter). */
async function clocksOfCases(
  db: Executor,
  calendar: WorkingCalendar,
  caseIds: readonly number[],
  now: Date,
): Promise<Map<number, CaseClockView[]>> {
  const rows = await listClocksOfSubjects(db, 'case', caseIds.map(String));
  return new Map(caseIds.map((id) => [id, (rows.get(String(id)) ?? []).map((c) => clockView(calendar, c, now))]));
}

async function clocksOf(db: Executor, calendar: WorkingCalendar, caseId: number, now: Date): Promise<CaseClockView[]> {
  return (await listClocksOfSubject(db, 'case', String(caseId))).map((c) => clockView(calendar, c, now));
}

function summary(row: CaseRow, clocks: readonly CaseClockView[]): CaseSummary {
  const w = worst(clocks);
  return {
    id: row.id,
    caseNumber: row.caseNumber,
    matterCode: row.matterCode,
    matterName: row.matterName,
    title: row.title,
    status: row.status,
    channel: row.channel,
    tier: row.tier,
    orgName: row.orgName,
    currentOrgName: row.currentOrgName,
    applicantName: row.applicantName,
    receivedAt: row.receivedAt?.toISOString() ?? null,
    acceptedAt: row.acceptedAt?.toISOString() ?? null,
    acceptedByDefault: row.acceptedByDefault,
    expedite: row.expedite,
    expediteTracker: row.expediteTracker,
    clockState: w.state,
    dueDate: w.dueDate,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function listCases(deps: CaseDeps, party: CaseParty, query: CaseListQuery): Promise<CaseList> {
  const calendar = await deps.calendar.get();
  const now = deps.now();
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
  const offset = Math.max(query.offset ?? 0, 0);
  const filter: repo.ListFilter = {
    limit,
    offset,
    ...(query.status ? { status: query.status } : {}),
    ...(query.matterCode ? { matterCode: query.matterCode } : {}),
    ...(query.orgId !== undefined ? { orgId: query.orgId } : {}),
    ...(query.tier ? { tier: query.tier } : {}),
    ...(query.expedite !== undefined ? { expedite: query.expedite } : {}),
    ...(query.q ? { q: query.q } : {}),
  };
  if (party.kind === 'applicant') filter.applicantId = party.applicantId;
  else {
    if (!hasPermission(party.actor, 'case.read')) throw new AppError('FORBIDDEN', 'requires permission case.read');
    filter.scopePath = await scopePathOf(deps.db, party.actor);
  }
  if (query.clockState) {
    // the clock state is derived: narrow to the cases whose worst open clock is in that state
    const all = await repo.listCases(deps.db, { ...filter, limit: 5000, offset: 0 });
    const ids: number[] = [];
    for (const r of all.rows)
      if (worst(await clocksOf(deps.db, calendar, r.id, now)).state === query.clockState) ids.push(r.id);
    filter.ids = ids;
  }
  const { rows, total } = await repo.listCases(deps.db, filter);
  const items: CaseSummary[] = [];
  const clocks = await clocksOfCases(
    deps.db,
    calendar,
    rows.map((r) => r.id),
    now,
  );
  for (const r of rows) items.push(summary(r, clocks.get(r.id) ?? []));
  return { items, total };
}

function eventView(e: repo.EventRow, forPublic: boolean): CaseEventView {
  return {
    id: Number(e.id),
    at: e.at.toISOString(),
    type: e.type,
    tier: e.tier,
    orgName: e.orgName,
    actorName: forPublic ? null : e.actorName,
    data: e.data,
  };
}

function actionsFor(party: CaseParty, row: CaseRow, spec: { expedite: boolean }, receiving: boolean): CaseAction[] {
  const out: CaseAction[] = [];
  const editable = row.status === 'draft' || row.status === 'supplementRequested';
  if (party.kind === 'applicant') {
    if (editable) out.push('edit', 'submit');
    if (['draft', 'submitted', 'supplementRequested'].includes(row.status)) out.push('withdraw');
    return out;
  }
  const can = (p: Parameters<typeof hasPermission>[1]) => hasPermission(party.actor, p);
  if (editable && row.channel !== 'online' && can('case.receive')) out.push('edit', 'submit', 'withdraw');
  if (row.status === 'submitted' && can('case.accept') && receiving) out.push('accept', 'requestSupplement', 'refuse');
  if (row.status === 'inReview' && spec.expedite && !row.expedite && (can('case.accept') || can('case.approve')))
    out.push('expedite');
  if (row.status === 'issued' && can('case.issue')) out.push('archive');
  if ((feeStatuses as readonly string[]).includes(row.status) && (can('case.accept') || can('case.issue')))
    out.push('recordFee');
  return out;
}

export async function getCaseDetail(deps: CaseDeps, party: CaseParty, id: number): Promise<CaseDetail> {
  const row = await loadCase(deps.db, party, id);
  return presentDetail(deps, party, row);
}

export async function presentDetail(deps: CaseDeps, party: CaseParty, row: CaseRow): Promise<CaseDetail> {
  const calendar = await deps.calendar.get();
  const now = deps.now();
  const spec = (await getMatterVersion(deps.db, row.matterCode, row.matterVersion)).spec;
  const [files, clocks, events, documents, supplements, fees] = [
    await repo.listMaterialFiles(deps.db, row.id),
    await clocksOf(deps.db, calendar, row.id, now),
    await repo.listEvents(deps.db, row.id),
    await repo.listDocuments(deps.db, row.id),
    await repo.listSupplements(deps.db, row.id),
    await feeViews(deps.db, party, row.id),
  ];
  const editable = row.status === 'draft' || row.status === 'supplementRequested';
  const receiving = party.kind === 'staff' && (await scopePathOf(deps.db, party.actor)) === row.orgPath;
  const tasks =
    party.kind === 'staff' && row.workflowInstanceId ? await repo.listOpenTasks(deps.db, row.workflowInstanceId) : [];
  return {
    ...summary(row, clocks),
    matterVersion: row.matterVersion,
    version: row.version,
    form: row.form,
    materials: spec.materials.map((m) => ({
      key: m.key,
      name: m.name,
      required: m.required,
      formats: [...m.formats],
      notes: m.notes ?? null,
      files: files
        .filter((f) => f.materialKey === m.key)
        .map((f) => ({
          id: f.id,
          materialKey: f.materialKey,
          blobRefId: f.blobRefId,
          originalName: f.originalName,
          detectedType: f.type,
          size: Number(f.size),
          sha256: f.sha256,
          round: f.round,
          addedAt: f.addedAt.toISOString(),
        })),
    })),
    problems: editable ? await problemsOf(deps, row, spec) : [],
    parcel: row.parcel as CaseDetail['parcel'],
    analysis: row.analysis as CaseDetail['analysis'],
    clocks,
    events: events.map((e) => eventView(e, party.kind === 'applicant')),
    documents: documents.map((d) => ({
      id: d.id,
      kind: d.kind,
      number: d.number,
      verificationCode: d.verificationCode,
      issuedAt: d.issuedAt.toISOString(),
      sha256: d.sha256,
    })),
    supplements: supplements.map((s) => ({
      round: s.round,
      items: s.items,
      note: s.note,
      requestedAt: s.requestedAt.toISOString(),
      resolvedAt: s.resolvedAt?.toISOString() ?? null,
    })),
    fees,
    decision: row.decision,
    decisionReason: row.decisionReason,
    documentNumber: row.documentNumber,
    issuedAt: row.issuedAt?.toISOString() ?? null,
    archivedAt: row.archivedAt?.toISOString() ?? null,
    workflowInstanceId: party.kind === 'staff' ? row.workflowInstanceId : null,
    tasks: tasks.map((t) => ({
      id: t.id,
      node: t.node,
      name: t.name,
      orgName: t.orgName,
      assignee: t.assignee,
      candidateRoles: t.candidateRoles,
      dueAt: t.dueAt?.toISOString() ?? null,
    })),
    actions: actionsFor(party, row, spec, receiving),
  };
}

/** A material file of the case, for a party of the case. */
export async function openCaseFile(
  deps: CaseDeps,
  party: CaseParty,
  id: number,
  fileId: number,
): Promise<{ name: string; type: string; size: number; stream: Readable }> {
  await loadCase(deps.db, party, id);
  const file = (await repo.listMaterialFiles(deps.db, id)).find((f) => f.id === fileId);
  if (!file) throw new AppError('NOT_FOUND', `case ${id} has no file ${fileId}`);
  return {
    name: file.originalName,
    type: file.type,
    size: Number(file.size),
    stream: readBlob(deps.config.dataDir, file.sha256),
  };
}

const documentTitles: Record<repo.DocumentRow['kind'], string> = {
  acceptanceNotice: '受理通知书',
  supplementNotice: '补正材料通知书',
  refusalDecision: '不予受理决定书',
  approvalReply: '批复',
  disapprovalDecision: '不予批准决定书',
};

export function documentTitle(kind: repo.DocumentRow['kind']): string {
  return documentTitles[kind];
}

export async function openCaseDocument(
  deps: CaseDeps,
  party: CaseParty,
  id: number,
  documentId: number,
): Promise<{ name: string; stream: Readable }> {
  const row = await loadCase(deps.db, party, id);
  const doc = (await repo.listDocuments(deps.db, id)).find((d) => d.id === documentId);
  if (!doc) throw new AppError('NOT_FOUND', `case ${id} has no document ${documentId}`);
  return {
    name: `${documentTitles[doc.kind]}-${row.caseNumber ?? row.id}.pdf`,
    stream: readBlob(deps.config.dataDir, doc.sha256),
  };
}

// ---- the public progress query ----------------------------------------------------------------

const NOT_FOUND_MESSAGE = 'no case with this number and query code';

/**
 * Progress by case number + query code. A wrong number and a wrong code give the same answer
 * (and take the same path: the code is hashed even when the number is unknown).
 */
export async function queryProgress(deps: CaseDeps, caseNumber: string, queryCode: string): Promise<PublicProgress> {
  const number = caseNumber.trim();
  const code = queryCode.trim().toUpperCase();
  const row = await repo.findCaseByNumber(deps.db, number);
  const expected = queryCodeHash(deps.config.sessionSecret, number, code);
  if (!row?.queryCodeHash || !timingSafeEqualHex(row.queryCodeHash, expected))
    throw new AppError('NOT_FOUND', NOT_FOUND_MESSAGE);
  const spec = (await getMatterVersion(deps.db, row.matterCode, row.matterVersion)).spec;
  if (!spec.publicity.progress) throw new AppError('NOT_FOUND', NOT_FOUND_MESSAGE);
  const calendar = await deps.calendar.get();
  const events = await repo.listEvents(deps.db, row.id);
  const steps: PublicProgress['steps'] = [];
  const openSteps = new Map<string, number>();
  const pushStep = (name: string, e: repo.EventRow, ended: boolean) =>
    steps.push({
      name,
      tier: e.tier,
      orgName: e.orgName,
      startedAt: e.at.toISOString(),
      endedAt: ended ? e.at.toISOString() : null,
    });
  for (const e of events) {
    const data = e.data as { name?: string; taskId?: string; node?: string };
    switch (e.type) {
      case 'submitted':
        pushStep('收件', e, true);
        break;
      case 'supplementRequested':
        pushStep('补正告知', e, true);
        break;
      case 'resubmitted':
        pushStep('补正材料已提交', e, true);
        break;
      case 'accepted':
      case 'acceptedByDefault':
        pushStep('受理', e, true);
        break;
      case 'refused':
        pushStep('不予受理', e, true);
        break;
      case 'stepStarted':
        openSteps.set(data.node ?? '', steps.length);
        pushStep(data.name ?? data.node ?? '办理', e, false);
        break;
      case 'stepCompleted': {
        const at = openSteps.get(data.node ?? '');
        const step = at !== undefined ? steps[at] : undefined;
        if (step) step.endedAt = e.at.toISOString();
        openSteps.delete(data.node ?? '');
        break;
      }
      case 'issued':
        pushStep('发文', e, true);
        break;
      case 'archived':
        pushStep('归档', e, true);
        break;
      default:
        break;
    }
  }
  return {
    caseNumber: number,
    matterName: row.matterName,
    title: row.title,
    status: row.status,
    receivedAt: row.receivedAt?.toISOString() ?? null,
    acceptedAt: row.acceptedAt?.toISOString() ?? null,
    responsibleOrgName: row.currentOrgName ?? row.orgName,
    tier: row.tier,
    steps,
    clocks: await clocksOf(deps.db, calendar, row.id, deps.now()),
    decision: spec.publicity.result ? row.decision : null,
    documentNumber: spec.publicity.result ? row.documentNumber : null,
    issuedAt: row.issuedAt?.toISOString() ?? null,
  };
}

function timingSafeEqualHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * Who may be named the 特事特办 tracker: staff of the caller's bureau and of the provincial
 * department's own offices (the deciding tier), for callers who may expedite.
 */
export async function listTrackers(
  deps: CaseDeps,
  party: CaseParty,
  q: string | undefined,
): Promise<{ items: CaseTrackerCandidate[] }> {
  if (
    party.kind !== 'staff' ||
    !(hasPermission(party.actor, 'case.accept') || hasPermission(party.actor, 'case.approve'))
  )
    throw new AppError('FORBIDDEN', 'requires permission case.accept or case.approve');
  const own = await scopePathOf(deps.db, party.actor);
  const province = await repo.findProvinceBureau(deps.db);
  const paths = [own];
  if (province && !own.startsWith(province.path)) paths.push(province.path);
  if (province && own !== province.path) {
    // the department's offices, not every bureau below it
    const offices = await deps.db
      .selectFrom('org_units')
      .select('path')
      .where('parent_id', '=', province.id)
      .where('kind', '=', 'office')
      .execute();
    paths.push(...offices.map((o) => o.path));
  }
  return { items: await repo.listTrackerCandidates(deps.db, paths, q?.trim() || undefined, 30) };
}
