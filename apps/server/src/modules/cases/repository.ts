import { sql } from 'kysely';
import type { Executor, Tx } from '../../platform/db.ts';
import type { CasesTable } from '../../platform/db-types.ts';

/** All SQL of the case module. */

export type CaseStatus = CasesTable['status'];
export type CaseTier = NonNullable<CasesTable['tier']>;

export interface CaseRow {
  id: number;
  matterCode: string;
  matterVersion: number;
  status: CaseStatus;
  channel: CasesTable['channel'];
  applicantId: number | null;
  applicantName: string;
  applicantPhone: string | null;
  orgId: number;
  orgPath: string;
  orgName: string;
  orgDivision: string | null;
  tier: CaseTier | null;
  currentOrgId: number | null;
  currentOrgName: string | null;
  title: string;
  form: Record<string, unknown>;
  parcel: unknown;
  analysis: unknown;
  caseNumber: string | null;
  queryCodeHash: string | null;
  receivedAt: Date | null;
  acceptedAt: Date | null;
  acceptedByDefault: boolean;
  decidedAt: Date | null;
  decision: 'approved' | 'disapproved' | null;
  decisionReason: string | null;
  issuedAt: Date | null;
  documentNumber: string | null;
  archivedAt: Date | null;
  archiveSha256: string | null;
  expedite: boolean;
  expediteTrackerId: number | null;
  expediteTracker: string | null;
  workflowInstanceId: string | null;
  createdBy: number | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
  matterName: string;
}

function baseQuery(db: Executor) {
  return db
    .selectFrom('cases as c')
    .innerJoin('org_units as o', 'o.id', 'c.org_id')
    .leftJoin('org_units as co', 'co.id', 'c.current_org_id')
    .leftJoin('users as tu', 'tu.id', 'c.expedite_tracker_id')
    .innerJoin('matter_versions as mv', (j) =>
      j.onRef('mv.code', '=', 'c.matter_code').onRef('mv.version', '=', 'c.matter_version'),
    )
    .select([
      'c.id',
      'c.matter_code as matterCode',
      'c.matter_version as matterVersion',
      'c.status',
      'c.channel',
      'c.applicant_id as applicantId',
      'c.applicant_name as applicantName',
      'c.applicant_phone as applicantPhone',
      'c.org_id as orgId',
      'o.path as orgPath',
      'o.name as orgName',
      'o.division_code as orgDivision',
      'c.tier',
      'c.current_org_id as currentOrgId',
      'co.name as currentOrgName',
      'c.title',
      'c.form',
      'c.parcel',
      'c.analysis',
      'c.case_number as caseNumber',
      'c.query_code_hash as queryCodeHash',
      'c.received_at as receivedAt',
      'c.accepted_at as acceptedAt',
      'c.accepted_by_default as acceptedByDefault',
      'c.decided_at as decidedAt',
      'c.decision',
      'c.decision_reason as decisionReason',
      'c.issued_at as issuedAt',
      'c.document_number as documentNumber',
      'c.archived_at as archivedAt',
      'c.archive_sha256 as archiveSha256',
      'c.expedite',
      'c.expedite_tracker_id as expediteTrackerId',
      'tu.display_name as expediteTracker',
      'c.workflow_instance_id as workflowInstanceId',
      'c.created_by as createdBy',
      'c.created_at as createdAt',
      'c.updated_at as updatedAt',
      'c.version',
      'mv.name as matterName',
    ]);
}

export async function findCase(
  db: Executor,
  id: number,
  opts: { forUpdate?: boolean } = {},
): Promise<CaseRow | undefined> {
  if (opts.forUpdate) await db.selectFrom('cases').select('id').where('id', '=', id).forUpdate().execute();
  return (await baseQuery(db).where('c.id', '=', id).executeTakeFirst()) as CaseRow | undefined;
}

/** The id and process of the case with this number (the workflow listener's cheap first look). */
export async function findCaseRefByNumber(
  db: Executor,
  caseNumber: string,
): Promise<{ id: number; workflowInstanceId: string | null } | undefined> {
  return db
    .selectFrom('cases')
    .select(['id', 'workflow_instance_id as workflowInstanceId'])
    .where('case_number', '=', caseNumber)
    .executeTakeFirst();
}

export async function findCaseByNumber(db: Executor, caseNumber: string): Promise<CaseRow | undefined> {
  return (await baseQuery(db).where('c.case_number', '=', caseNumber).executeTakeFirst()) as CaseRow | undefined;
}

export interface ListFilter {
  /** visible when the case's bureau path starts with it (staff) */
  scopePath?: string;
  applicantId?: number;
  status?: CaseStatus;
  matterCode?: string;
  orgId?: number;
  tier?: CaseTier;
  expedite?: boolean;
  /** ids of cases whose worst clock state matches (computed by the caller) */
  ids?: number[];
  q?: string;
  limit: number;
  offset: number;
}

export async function listCases(db: Executor, f: ListFilter): Promise<{ rows: CaseRow[]; total: number }> {
  let q = baseQuery(db);
  if (f.scopePath !== undefined) q = q.where('o.path', 'like', `${f.scopePath}%`);
  if (f.applicantId !== undefined) q = q.where('c.applicant_id', '=', f.applicantId);
  if (f.status) q = q.where('c.status', '=', f.status);
  if (f.matterCode) q = q.where('c.matter_code', '=', f.matterCode);
  if (f.orgId !== undefined) {
    const orgId = f.orgId;
    q = q.where((eb) => eb.or([eb('c.org_id', '=', orgId), eb('c.current_org_id', '=', orgId)]));
  }
  if (f.tier) q = q.where('c.tier', '=', f.tier);
  if (f.expedite !== undefined) q = q.where('c.expedite', '=', f.expedite);
  if (f.ids) q = f.ids.length === 0 ? q.where(sql<boolean>`false`) : q.where('c.id', 'in', f.ids);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    q = q.where((eb) =>
      eb.or([eb('c.case_number', 'like', like), eb('c.title', 'like', like), eb('c.applicant_name', 'like', like)]),
    );
  }
  const countRow = await q
    .clearSelect()
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  const rows = (await q.orderBy('c.id', 'desc').limit(f.limit).offset(f.offset).execute()) as CaseRow[];
  return { rows, total: Number(countRow.n) };
}

export async function insertCase(
  tx: Tx,
  c: {
    matterCode: string;
    matterVersion: number;
    channel: CasesTable['channel'];
    applicantId: number | null;
    applicantName: string;
    applicantPhone: string | null;
    orgId: number;
    title: string;
    form: Record<string, unknown>;
    createdBy: number | null;
    now: Date;
  },
): Promise<number> {
  const row = await tx
    .insertInto('cases')
    .values({
      matter_code: c.matterCode,
      matter_version: c.matterVersion,
      status: 'draft',
      channel: c.channel,
      applicant_id: c.applicantId,
      applicant_name: c.applicantName,
      applicant_phone: c.applicantPhone,
      org_id: c.orgId,
      title: c.title,
      form: JSON.stringify(c.form),
      parcel: null,
      analysis: null,
      case_number: null,
      query_code_hash: null,
      received_at: null,
      accepted_at: null,
      decided_at: null,
      decision: null,
      decision_reason: null,
      issued_at: null,
      document_number: null,
      archived_at: null,
      archive_sha256: null,
      expedite_tracker_id: null,
      workflow_instance_id: null,
      tier: null,
      current_org_id: null,
      created_by: c.createdBy,
      updated_at: c.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export type CaseUpdate = Partial<{
  status: CaseStatus;
  title: string;
  form: Record<string, unknown>;
  parcel: unknown;
  analysis: unknown;
  tier: CaseTier | null;
  currentOrgId: number | null;
  caseNumber: string;
  queryCodeHash: string;
  receivedAt: Date;
  acceptedAt: Date;
  acceptedByDefault: boolean;
  decidedAt: Date;
  decision: 'approved' | 'disapproved';
  decisionReason: string | null;
  issuedAt: Date;
  documentNumber: string;
  archivedAt: Date;
  archiveSha256: string;
  expedite: boolean;
  expediteTrackerId: number;
  workflowInstanceId: string;
}>;

const columnOf: Record<keyof CaseUpdate, keyof CasesTable> = {
  status: 'status',
  title: 'title',
  form: 'form',
  parcel: 'parcel',
  analysis: 'analysis',
  tier: 'tier',
  currentOrgId: 'current_org_id',
  caseNumber: 'case_number',
  queryCodeHash: 'query_code_hash',
  receivedAt: 'received_at',
  acceptedAt: 'accepted_at',
  acceptedByDefault: 'accepted_by_default',
  decidedAt: 'decided_at',
  decision: 'decision',
  decisionReason: 'decision_reason',
  issuedAt: 'issued_at',
  documentNumber: 'document_number',
  archivedAt: 'archived_at',
  archiveSha256: 'archive_sha256',
  expedite: 'expedite',
  expediteTrackerId: 'expedite_tracker_id',
  workflowInstanceId: 'workflow_instance_id',
};

const jsonColumns = new Set<keyof CaseUpdate>(['form', 'parcel', 'analysis']);

/** Applies a change and bumps the version (the row is locked by the caller). */
export async function updateCase(tx: Tx, id: number, change: CaseUpdate, now: Date): Promise<void> {
  const values: Record<string, unknown> = { updated_at: now, version: sql`version + 1` };
  for (const [k, v] of Object.entries(change) as Array<[keyof CaseUpdate, unknown]>) {
    if (v === undefined) continue;
    values[columnOf[k]] = jsonColumns.has(k) ? (v === null ? null : JSON.stringify(v)) : v;
  }
  await tx.updateTable('cases').set(values).where('id', '=', id).execute();
}

// ---- materials -----------------------------------------------------------------------------

export interface MaterialFileRow {
  id: number;
  materialKey: string;
  blobRefId: number;
  round: number;
  addedAt: Date;
  originalName: string;
  sha256: string;
  size: string;
  type: string;
}

export async function listMaterialFiles(db: Executor, caseId: number): Promise<MaterialFileRow[]> {
  return db
    .selectFrom('case_materials as m')
    .innerJoin('blob_refs as r', 'r.id', 'm.blob_ref_id')
    .innerJoin('blobs as b', 'b.sha256', 'r.sha256')
    .select([
      'm.id',
      'm.material_key as materialKey',
      'm.blob_ref_id as blobRefId',
      'm.round',
      'm.added_at as addedAt',
      'r.original_name as originalName',
      'r.sha256',
      'b.size',
      'b.detected_type as type',
    ])
    .where('m.case_id', '=', caseId)
    .where('m.removed_at', 'is', null)
    .orderBy('m.id')
    .execute();
}

export async function insertMaterialFile(
  tx: Tx,
  m: { caseId: number; materialKey: string; blobRefId: number; round: number; now: Date },
): Promise<number> {
  const row = await tx
    .insertInto('case_materials')
    .values({
      case_id: m.caseId,
      material_key: m.materialKey,
      blob_ref_id: m.blobRefId,
      round: m.round,
      added_at: m.now,
      removed_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function removeMaterialFile(tx: Tx, caseId: number, fileId: number, now: Date): Promise<boolean> {
  const r = await tx
    .updateTable('case_materials')
    .set({ removed_at: now })
    .where('id', '=', fileId)
    .where('case_id', '=', caseId)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ---- supplements ---------------------------------------------------------------------------

export interface SupplementRow {
  id: number;
  round: number;
  items: Array<{ materialKey: string | null; message: string }>;
  note: string | null;
  requestedAt: Date;
  resolvedAt: Date | null;
}

export async function listSupplements(db: Executor, caseId: number): Promise<SupplementRow[]> {
  return (await db
    .selectFrom('case_supplements')
    .select(['id', 'round', 'items', 'note', 'requested_at as requestedAt', 'resolved_at as resolvedAt'])
    .where('case_id', '=', caseId)
    .orderBy('round')
    .execute()) as SupplementRow[];
}

export async function insertSupplement(
  tx: Tx,
  s: {
    caseId: number;
    round: number;
    items: Array<{ materialKey: string | null; message: string }>;
    note: string | null;
    by: number | null;
    at: Date;
  },
): Promise<void> {
  await tx
    .insertInto('case_supplements')
    .values({
      case_id: s.caseId,
      round: s.round,
      items: JSON.stringify(s.items),
      note: s.note,
      requested_at: s.at,
      requested_by: s.by,
      resolved_at: null,
    })
    .execute();
}

export async function resolveSupplements(tx: Tx, caseId: number, at: Date): Promise<void> {
  await tx
    .updateTable('case_supplements')
    .set({ resolved_at: at })
    .where('case_id', '=', caseId)
    .where('resolved_at', 'is', null)
    .execute();
}

// ---- documents -----------------------------------------------------------------------------

export interface DocumentRow {
  id: number;
  caseId: number;
  kind: 'acceptanceNotice' | 'supplementNotice' | 'refusalDecision' | 'approvalReply' | 'disapprovalDecision';
  number: string | null;
  sha256: string;
  verificationCode: string;
  issuedAt: Date;
  issuerOrgName: string;
  caseNumber: string | null;
}

function documentQuery(db: Executor) {
  return db
    .selectFrom('case_documents as d')
    .innerJoin('org_units as o', 'o.id', 'd.issuer_org_id')
    .innerJoin('cases as c', 'c.id', 'd.case_id')
    .select([
      'd.id',
      'd.case_id as caseId',
      'd.kind',
      'd.number',
      'd.sha256',
      'd.verification_code as verificationCode',
      'd.issued_at as issuedAt',
      'o.name as issuerOrgName',
      'c.case_number as caseNumber',
    ]);
}

export async function listDocuments(db: Executor, caseId: number): Promise<DocumentRow[]> {
  return documentQuery(db).where('d.case_id', '=', caseId).orderBy('d.id').execute();
}

export async function findDocumentByCode(db: Executor, code: string): Promise<DocumentRow | undefined> {
  return documentQuery(db).where('d.verification_code', '=', code).executeTakeFirst();
}

export async function insertDocument(
  tx: Tx,
  d: {
    caseId: number;
    kind: DocumentRow['kind'];
    number: string | null;
    sha256: string;
    verificationCode: string;
    issuedAt: Date;
    issuedBy: number | null;
    issuerOrgId: number;
  },
): Promise<number> {
  const row = await tx
    .insertInto('case_documents')
    .values({
      case_id: d.caseId,
      kind: d.kind,
      number: d.number,
      sha256: d.sha256,
      verification_code: d.verificationCode,
      issued_at: d.issuedAt,
      issued_by: d.issuedBy,
      issuer_org_id: d.issuerOrgId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

// ---- events --------------------------------------------------------------------------------

export interface EventRow {
  id: string;
  at: Date;
  type: string;
  tier: CaseTier | null;
  orgId: number | null;
  orgName: string | null;
  actorKind: 'staff' | 'applicant' | 'system';
  actorName: string;
  data: Record<string, unknown>;
}

export async function insertEvent(
  tx: Tx,
  e: {
    caseId: number;
    at: Date;
    type: string;
    tier: CaseTier | null;
    orgId: number | null;
    actorKind: 'staff' | 'applicant' | 'system';
    actorId: number | null;
    actorName: string;
    data?: Record<string, unknown>;
  },
): Promise<void> {
  await tx
    .insertInto('case_events')
    .values({
      case_id: e.caseId,
      at: e.at,
      type: e.type,
      tier: e.tier,
      org_id: e.orgId,
      actor_kind: e.actorKind,
      actor_id: e.actorId,
      actor_name: e.actorName,
      data: JSON.stringify(e.data ?? {}),
    })
    .execute();
}

export async function listEvents(db: Executor, caseId: number): Promise<EventRow[]> {
  return (await db
    .selectFrom('case_events as e')
    .leftJoin('org_units as o', 'o.id', 'e.org_id')
    .select([
      'e.id',
      'e.at',
      'e.type',
      'e.tier',
      'e.org_id as orgId',
      'o.name as orgName',
      'e.actor_kind as actorKind',
      'e.actor_name as actorName',
      'e.data',
    ])
    .where('e.case_id', '=', caseId)
    .orderBy('e.id')
    .execute()) as EventRow[];
}

// ---- counters ------------------------------------------------------------------------------

/**
 * The next number of a gapless sequence: the counter row is created or incremented under its row
 * lock in the caller's transaction, so concurrent callers queue and a rollback returns the number.
 */
export async function nextCounter(tx: Tx, orgId: number, year: number, kind: string): Promise<number> {
  const row = await tx
    .insertInto('case_counters')
    .values({ org_id: orgId, year, kind, last: 1 })
    .onConflict((oc) => oc.columns(['org_id', 'year', 'kind']).doUpdateSet({ last: sql`case_counters.last + 1` }))
    .returning('last')
    .executeTakeFirstOrThrow();
  return row.last;
}

// ---- orgs and tasks (read-only views of other modules' tables) -------------------------------

export interface OrgRow {
  id: number;
  kind: 'province' | 'office' | 'city' | 'county' | 'township';
  name: string;
  path: string;
  divisionCode: string | null;
  parentId: number | null;
}

export async function findOrgById(db: Executor, id: number): Promise<OrgRow | undefined> {
  return db
    .selectFrom('org_units')
    .select(['id', 'kind', 'name', 'path', 'division_code as divisionCode', 'parent_id as parentId'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findBureauByDivision(db: Executor, code: string): Promise<OrgRow | undefined> {
  return db
    .selectFrom('org_units')
    .select(['id', 'kind', 'name', 'path', 'division_code as divisionCode', 'parent_id as parentId'])
    .where('division_code', '=', code)
    .where('kind', 'in', ['province', 'city', 'county'])
    .executeTakeFirst();
}

export async function findProvinceBureau(db: Executor): Promise<OrgRow | undefined> {
  return db
    .selectFrom('org_units')
    .select(['id', 'kind', 'name', 'path', 'division_code as divisionCode', 'parent_id as parentId'])
    .where('kind', '=', 'province')
    .orderBy('id')
    .executeTakeFirst();
}

export interface OpenTaskRow {
  id: string;
  node: string;
  name: string | null;
  orgId: number;
  orgName: string | null;
  assignee: string | null;
  candidateRoles: string[];
  dueAt: Date | null;
}

export async function listOpenTasks(db: Executor, instanceId: string): Promise<OpenTaskRow[]> {
  return await db
    .selectFrom('wf_tasks as t')
    .leftJoin('org_units as o', 'o.id', 't.org_id')
    .select([
      't.id',
      't.node',
      't.name',
      't.org_id as orgId',
      'o.name as orgName',
      't.assignee',
      't.candidate_roles as candidateRoles',
      't.due_at as dueAt',
    ])
    .where('t.instance_id', '=', instanceId)
    .where('t.status', '=', 'open')
    .orderBy('t.created_at')
    .execute();
}

export async function findTaskRow(
  db: Executor,
  id: string,
): Promise<{ id: string; node: string; name: string | null; orgId: number; status: string } | undefined> {
  return db
    .selectFrom('wf_tasks')
    .select(['id', 'node', 'name', 'org_id as orgId', 'status'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Cases still waiting for acceptance whose acceptance clock has run out (行政许可法 §32). */
export async function listOverdueAcceptances(db: Executor, now: Date, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('cases as c')
    .innerJoin('clocks as k', (j) =>
      j
        .on('k.subject_type', '=', 'case')
        .on(sql<boolean>`k.subject_id = c.id::text`)
        .on('k.purpose', '=', 'acceptance'),
    )
    .select('c.id')
    .where('c.status', '=', 'submitted')
    .where('k.stopped_at', 'is', null)
    .where('k.due_at', '<', now)
    .orderBy('c.id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

export async function userExists(db: Executor, id: number): Promise<{ id: number; displayName: string } | undefined> {
  return db
    .selectFrom('users')
    .select(['id', 'display_name as displayName'])
    .where('id', '=', id)
    .where('disabled', '=', false)
    .executeTakeFirst();
}

/** Active staff under one of the paths (name or username matching `q`), for the tracker picker. */
export async function listTrackerCandidates(
  db: Executor,
  paths: readonly string[],
  q: string | undefined,
  limit: number,
): Promise<Array<{ id: number; username: string; displayName: string; orgName: string }>> {
  let query = db
    .selectFrom('users as u')
    .innerJoin('org_units as o', 'o.id', 'u.org_id')
    .select(['u.id', 'u.username', 'u.display_name as displayName', 'o.name as orgName'])
    .where('u.disabled', '=', false)
    .where((eb) => eb.or(paths.map((p) => eb('o.path', 'like', `${p}%`))));
  if (q) {
    const like = `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    query = query.where((eb) => eb.or([eb('u.display_name', 'like', like), eb('u.username', 'like', like)]));
  }
  return query.orderBy('o.path').orderBy('u.display_name').limit(limit).execute();
}
