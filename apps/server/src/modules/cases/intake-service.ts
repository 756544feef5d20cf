import type { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { AppError } from '@guotu/domain';
import type { CaseProblem, CreateCaseRequest, UpdateCaseRequest } from '@guotu/contracts';
import { inTransaction, type Executor } from '../../platform/db.ts';
import { readBlob, recordBlobTx, storeBytes, uploadBlob, type BlobParty } from '../blobs/service.ts';
import { getCurrentMatterVersion, getMatterVersion } from '../matters/service.ts';
import type { MatterSpec } from '../matters/spec.ts';
import { notify } from '../notifications/service.ts';
import { coordinateMaterial, formProblems, materialProblems, parcelProblems } from './check.ts';
import {
  changeCaseClock,
  checkVersion,
  loadCase,
  partyName,
  receiptRef,
  recordEvent,
  requirePermission,
  requireStatus,
  scopePathOf,
  startCaseClock,
  type CaseDeps,
  type CaseParty,
} from './context.ts';
import { readPackage } from './package-zip.ts';
import { parcelOfFile } from './parcel.ts';
import * as repo from './repository.ts';
import type { CaseRow } from './repository.ts';

/**
 * Intake (收件): drafts by the applicant on the portal or by the window on an applicant's behalf,
 * materials file by file or as one ZIP package, the pre-submission check, submission and
 * resubmission after a supplement request. docs/cases.md § States.
 */

const EDITABLE: CaseRow['status'][] = ['draft', 'supplementRequested'];

function blobParty(party: CaseParty): BlobParty {
  return party.kind === 'staff'
    ? { kind: 'staff', actor: party.actor }
    : { kind: 'applicant', applicantId: party.applicantId, requestId: party.requestId };
}

/** Staff may edit drafts they took in at the window; applicants their own. */
function assertMayEdit(party: CaseParty, row: CaseRow): void {
  requireStatus(row, ...EDITABLE);
  if (party.kind === 'staff') {
    requirePermission(party, 'case.receive');
    if (row.channel === 'online')
      throw new AppError('FORBIDDEN', 'an online application is edited by its applicant; request a supplement instead');
  }
}

/** The receiving bureau: the county named for a remote-submission matter, else the department. */
async function receivingOrg(deps: CaseDeps, spec: MatterSpec, req: CreateCaseRequest): Promise<repo.OrgRow> {
  const path = spec.submissionPath ?? [];
  const lowest = path[0] ?? spec.levels[spec.levels.length - 1] ?? 'province';
  if (lowest === 'province') {
    const province = await repo.findProvinceBureau(deps.db);
    if (!province) throw new AppError('INVALID_STATE', 'no provincial department in the org tree');
    return province;
  }
  const code =
    req.divisionCode ?? (typeof req.form?.countyDivisionCode === 'string' ? req.form.countyDivisionCode : undefined);
  if (!code)
    throw new AppError(
      'VALIDATION_FAILED',
      `${spec.name} is applied for at the ${lowest} bureau: name its division code`,
      [{ path: 'body.divisionCode', message: 'required' }],
    );
  const org = await repo.findBureauByDivision(deps.db, code);
  if (org?.kind !== lowest)
    throw new AppError('VALIDATION_FAILED', `no ${lowest} bureau with division code ${code}`, [
      { path: 'body.divisionCode', message: `not a ${lowest} bureau` },
    ]);
  return org;
}

export async function createCase(deps: CaseDeps, party: CaseParty, req: CreateCaseRequest): Promise<number> {
  const matter = await getCurrentMatterVersion(deps.db, req.matterCode).catch(() => {
    throw new AppError('VALIDATION_FAILED', `no published matter ${req.matterCode}`, [
      { path: 'body.matterCode', message: 'unknown matter' },
    ]);
  });
  const org = await receivingOrg(deps, matter.spec, req);
  let applicant: { id: number | null; name: string; phone: string | null };
  if (party.kind === 'staff') {
    requirePermission(party, 'case.receive');
    if (!req.applicant)
      throw new AppError('VALIDATION_FAILED', 'window intake names the applicant', [
        { path: 'body.applicant', message: 'required' },
      ]);
    if (!org.path.startsWith(await scopePathOf(deps.db, party.actor)))
      throw new AppError('FORBIDDEN', `${org.name} is outside your bureau`);
    applicant = { id: null, name: req.applicant.name, phone: req.applicant.phone };
  } else {
    if (req.applicant)
      throw new AppError('VALIDATION_FAILED', 'an online application is made in your own name', [
        { path: 'body.applicant', message: 'not allowed' },
      ]);
    applicant = { id: party.applicantId, name: party.name, phone: party.phone };
  }
  const now = deps.now();
  const form = req.form ?? {};
  const title =
    req.title ?? (typeof form.projectName === 'string' && form.projectName ? form.projectName : matter.spec.name);
  return inTransaction(deps.db, async (tx) => {
    const id = await repo.insertCase(tx, {
      matterCode: matter.code,
      matterVersion: matter.version,
      channel: party.kind === 'staff' ? 'window' : 'online',
      applicantId: applicant.id,
      applicantName: applicant.name,
      applicantPhone: applicant.phone,
      orgId: org.id,
      title: title.slice(0, 200),
      form,
      createdBy: party.kind === 'staff' ? party.actor.userId : null,
      now,
    });
    await recordEvent(
      tx,
      { id, tier: null, currentOrgId: null, orgId: org.id, caseNumber: null },
      party,
      'created',
      now,
      {
        matterCode: matter.code,
        matterVersion: matter.version,
      },
    );
    return id;
  });
}

export async function updateCaseDraft(
  deps: CaseDeps,
  party: CaseParty,
  id: number,
  req: UpdateCaseRequest,
): Promise<void> {
  const now = deps.now();
  await inTransaction(deps.db, async (tx) => {
    const row = await loadCase(tx, party, id, { forUpdate: true });
    assertMayEdit(party, row);
    checkVersion(row, req.version);
    const form = req.form ?? row.form;
    const title =
      req.title ?? (typeof form.projectName === 'string' && form.projectName ? form.projectName : row.title);
    await repo.updateCase(tx, id, { form, title: title.slice(0, 200) }, now);
    await recordEvent(tx, row, party, 'edited', now, { fields: Object.keys(req.form ?? {}) });
  });
}

async function matterOf(deps: CaseDeps, row: Pick<CaseRow, 'matterCode' | 'matterVersion'>): Promise<MatterSpec> {
  return (await getMatterVersion(deps.db, row.matterCode, row.matterVersion)).spec;
}

async function bytesOf(deps: CaseDeps, sha256: string): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of readBlob(deps.config.dataDir, sha256)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The current round: 0 for a draft, n while answering the n-th supplement request. */
async function currentRound(db: Executor, row: CaseRow): Promise<number> {
  if (row.status !== 'supplementRequested') return 0;
  const supplements = await repo.listSupplements(db, row.id);
  return supplements.at(-1)?.round ?? 0;
}

/** Re-reads the coordinate file after the materials changed (or clears the parcel when it is gone). */
async function parcelChange(
  deps: CaseDeps,
  spec: MatterSpec,
  files: ReadonlyArray<{ materialKey: string; sha256: string; type: string }>,
): Promise<{ parcel: unknown; analysis: unknown }> {
  const key = coordinateMaterial(spec);
  const file = key ? files.filter((f) => f.materialKey === key && f.type === 'coordinates').at(-1) : undefined;
  if (!file) return { parcel: null, analysis: null };
  return parcelOfFile(deps.db, await bytesOf(deps, file.sha256), deps.now());
}

export async function attachMaterial(
  deps: CaseDeps,
  party: CaseParty,
  id: number,
  materialKey: string,
  file: { filename: string; stream: Readable; truncated?: () => boolean },
): Promise<void> {
  const before = await loadCase(deps.db, party, id);
  assertMayEdit(party, before);
  const spec = await matterOf(deps, before);
  if (!spec.materials.some((m) => m.key === materialKey)) {
    // drain the upload so the client sees the error, not a reset
    await text(file.stream).catch(() => '');
    throw new AppError('VALIDATION_FAILED', `matter ${spec.code} has no material "${materialKey}"`, [
      { path: 'materialKey', message: `one of ${spec.materials.map((m) => m.key).join(', ')}` },
    ]);
  }
  const ref = await uploadBlob(
    { db: deps.db, dataDir: deps.config.dataDir, maxBytes: deps.config.blobMaxBytes },
    blobParty(party),
    file,
  );
  const wrongType = typeProblem(spec, materialKey, ref.type, ref.originalName);
  if (wrongType) throw new AppError('VALIDATION_FAILED', wrongType, [{ path: 'file', message: wrongType }]);
  await attachRefs(deps, party, id, spec, [
    { materialKey, blobRefId: ref.id, sha256: ref.sha256, type: ref.type, name: ref.originalName },
  ]);
}

/** A file whose content is not a format its material accepts (judged by the bytes, not the name). */
function typeProblem(spec: MatterSpec, materialKey: string, type: string, name: string): string | undefined {
  const material = spec.materials.find((m) => m.key === materialKey);
  if (!material || (material.formats as readonly string[]).includes(type)) return undefined;
  return `“${name}”按内容识别为 ${type}，“${material.name}”只接受 ${material.formats.join('、')}`;
}

async function attachRefs(
  deps: CaseDeps,
  party: CaseParty,
  id: number,
  spec: MatterSpec,
  refs: ReadonlyArray<{ materialKey: string; blobRefId: number; sha256: string; type: string; name: string }>,
): Promise<void> {
  const existing = await repo.listMaterialFiles(deps.db, id);
  const touchesParcel = refs.some((r) => r.materialKey === coordinateMaterial(spec));
  const parcel = touchesParcel
    ? await parcelChange(deps, spec, [...existing.map((f) => ({ ...f })), ...refs])
    : undefined;
  const now = deps.now();
  await inTransaction(deps.db, async (tx) => {
    const row = await loadCase(tx, party, id, { forUpdate: true });
    assertMayEdit(party, row);
    const round = await currentRound(tx, row);
    for (const r of refs)
      await repo.insertMaterialFile(tx, { caseId: id, materialKey: r.materialKey, blobRefId: r.blobRefId, round, now });
    await repo.updateCase(tx, id, parcel ?? {}, now);
    await recordEvent(tx, row, party, 'materialsAdded', now, {
      round,
      files: refs.map((r) => ({ materialKey: r.materialKey, name: r.name, sha256: r.sha256, type: r.type })),
    });
  });
}

export async function removeMaterial(deps: CaseDeps, party: CaseParty, id: number, fileId: number): Promise<void> {
  const row0 = await loadCase(deps.db, party, id);
  const spec = await matterOf(deps, row0);
  const files = await repo.listMaterialFiles(deps.db, id);
  const file = files.find((f) => f.id === fileId);
  if (!file) throw new AppError('NOT_FOUND', `case ${id} has no file ${fileId}`);
  const round = await currentRound(deps.db, row0);
  if (file.round < round)
    throw new AppError(
      'INVALID_STATE',
      'a file of an earlier submission stays on record; add the corrected file instead',
    );
  const parcel =
    file.materialKey === coordinateMaterial(spec)
      ? await parcelChange(
          deps,
          spec,
          files.filter((f) => f.id !== fileId),
        )
      : undefined;
  const now = deps.now();
  await inTransaction(deps.db, async (tx) => {
    const row = await loadCase(tx, party, id, { forUpdate: true });
    assertMayEdit(party, row);
    if (!(await repo.removeMaterialFile(tx, id, fileId, now)))
      throw new AppError('NOT_FOUND', `case ${id} has no file ${fileId}`);
    await repo.updateCase(tx, id, parcel ?? {}, now);
    await recordEvent(tx, row, party, 'materialRemoved', now, {
      fileId,
      materialKey: file.materialKey,
      name: file.originalName,
    });
  });
}

export interface PackageReport {
  placed: Array<{ entry: string; materialKey: string }>;
  unplaced: Array<{ entry: string; reason: string }>;
}

/** Which material an entry of a package belongs to: its first folder or its file-name prefix. */
export function placeEntry(spec: MatterSpec, entryPath: string, detectedType: string): string | undefined {
  const coordinateKey = coordinateMaterial(spec);
  if (detectedType === 'coordinates' && coordinateKey) return coordinateKey;
  const parts = entryPath.split('/').filter(Boolean);
  const candidates = [...parts.slice(0, -1), parts.at(-1)?.replace(/\.[^.]*$/, '') ?? ''];
  for (const c of candidates) {
    const lower = c.toLowerCase();
    const byKey = spec.materials.find(
      (m) => lower === m.key.toLowerCase() || lower.startsWith(`${m.key.toLowerCase()}-`),
    );
    if (byKey) return byKey.key;
    const byName = spec.materials.find((m) => c === m.name || c.startsWith(m.name));
    if (byName) return byName.key;
  }
  return undefined;
}

/** One ZIP package (电子报盘): every entry stored and placed on its material, in one transaction. */
export async function importPackage(
  deps: CaseDeps,
  party: CaseParty,
  id: number,
  zip: Uint8Array,
): Promise<PackageReport> {
  const row = await loadCase(deps.db, party, id);
  assertMayEdit(party, row);
  const spec = await matterOf(deps, row);
  const entries = readPackage(zip, {
    maxEntries: 500,
    maxTotalBytes: deps.config.blobMaxBytes * 4,
    maxEntryBytes: deps.config.blobMaxBytes,
  });
  const report: PackageReport = { placed: [], unplaced: [] };
  const stored: Array<{
    entry: string;
    materialKey: string;
    sha256: string;
    size: number;
    type: string;
    name: string;
  }> = [];
  for (const e of entries) {
    let blob;
    try {
      blob = await storeBytes(deps.config.dataDir, e.bytes, deps.config.blobMaxBytes);
    } catch (error) {
      report.unplaced.push({ entry: e.path, reason: error instanceof AppError ? error.message : 'unreadable' });
      continue;
    }
    const key = placeEntry(spec, e.path, blob.type);
    if (!key) {
      report.unplaced.push({ entry: e.path, reason: '无法判断属于哪项材料：请按材料编号或名称建文件夹或命名文件' });
      continue;
    }
    const wrongType = typeProblem(spec, key, blob.type, e.name);
    if (wrongType) {
      report.unplaced.push({ entry: e.path, reason: wrongType });
      continue;
    }
    stored.push({ entry: e.path, materialKey: key, ...blob, name: e.name });
    report.placed.push({ entry: e.path, materialKey: key });
  }
  if (stored.length === 0) return report;
  const refs: Array<{ materialKey: string; blobRefId: number; sha256: string; type: string; name: string }> = [];
  await inTransaction(deps.db, async (tx) => {
    for (const s of stored) {
      const refId = await recordBlobTx(tx, s, { originalName: s.name, party: blobParty(party) });
      refs.push({ materialKey: s.materialKey, blobRefId: refId ?? 0, sha256: s.sha256, type: s.type, name: s.name });
    }
  });
  await attachRefs(deps, party, id, spec, refs);
  return report;
}

/** Everything wrong with the case as it stands (empty = ready to submit). */
export async function problemsOf(deps: CaseDeps, row: CaseRow, spec?: MatterSpec): Promise<CaseProblem[]> {
  const matter = spec ?? (await matterOf(deps, row));
  const files = await repo.listMaterialFiles(deps.db, row.id);
  const key = coordinateMaterial(matter);
  return [
    ...formProblems(matter, row.form),
    ...materialProblems(
      matter,
      files.map((f) => ({ materialKey: f.materialKey, type: f.type, originalName: f.originalName })),
    ),
    ...parcelProblems(
      matter,
      row.form,
      row.parcel as Parameters<typeof parcelProblems>[2],
      files.some((f) => f.materialKey === key),
    ),
  ];
}

/**
 * Submission (draft → submitted) and resubmission after a supplement request: refused with every
 * problem when any error remains; otherwise one transaction starts (or resumes) the acceptance
 * clock, records the event and tells the applicant.
 */
export async function submitCase(deps: CaseDeps, party: CaseParty, id: number, version: number): Promise<void> {
  const row0 = await loadCase(deps.db, party, id);
  assertMayEdit(party, row0);
  const errors = (await problemsOf(deps, row0)).filter((p) => p.severity === 'error');
  if (errors.length > 0)
    throw new AppError(
      'VALIDATION_FAILED',
      `the application has ${errors.length} problem(s) to fix before it can be submitted`,
      errors.map((p) => ({ path: p.path, message: p.message, ...(p.line !== undefined ? { line: p.line } : {}) })),
    );
  const calendar = await deps.calendar.get();
  const now = deps.now();
  await inTransaction(deps.db, async (tx) => {
    const row = await loadCase(tx, party, id, { forUpdate: true });
    assertMayEdit(party, row);
    checkVersion(row, version);
    if (row.status === 'draft') {
      await repo.updateCase(tx, id, { status: 'submitted', receivedAt: now }, now);
      // 行政许可法 §32: decide on acceptance within 5 days of receipt
      await startCaseClock(tx, calendar, id, 'acceptance', 'licensing.acceptance', now, now);
      await recordEvent(tx, row, party, 'submitted', now, {});
      await tellApplicant(deps, tx, row, 'case.received', `case.received:${id}`, {
        receivedDate: now.toISOString().slice(0, 10),
      });
    } else {
      await repo.updateCase(tx, id, { status: 'submitted' }, now);
      await repo.resolveSupplements(tx, id, now);
      await changeCaseClock(tx, calendar, id, 'acceptance', { kind: 'resume', at: now }, partyName(party));
      await recordEvent(tx, row, party, 'resubmitted', now, { round: await currentRound(tx, row) });
    }
  });
}

export async function withdrawCase(deps: CaseDeps, party: CaseParty, id: number, version: number): Promise<void> {
  const calendar = await deps.calendar.get();
  const now = deps.now();
  await inTransaction(deps.db, async (tx) => {
    const row = await loadCase(tx, party, id, { forUpdate: true });
    if (party.kind === 'staff') requirePermission(party, 'case.receive');
    requireStatus(row, 'draft', 'submitted', 'supplementRequested');
    checkVersion(row, version);
    await repo.updateCase(tx, id, { status: 'withdrawn' }, now);
    await changeCaseClock(tx, calendar, id, 'acceptance', { kind: 'stop', at: now }, partyName(party));
    await recordEvent(tx, row, party, 'withdrawn', now, {});
  });
}

/**
 * SMS (and in-app for an applicant account) to the applicant, in the caller's transaction. The
 * message belongs to the bureau the case was applied to, at every tier: the outbox is scoped by
 * it, so that bureau's admin and those above see it (a phone-only recipient has no unit of its own).
 */
export async function tellApplicant(
  deps: CaseDeps,
  tx: Parameters<typeof notify>[0],
  row: CaseRow,
  event: Parameters<typeof notify>[1]['event'],
  idempotencyKey: string,
  variables: Record<string, string>,
): Promise<void> {
  if (!row.applicantPhone) return;
  await notify(
    tx,
    {
      event,
      recipients: [{ phone: row.applicantPhone }],
      channels: ['sms'],
      variables: {
        applicantName: row.applicantName,
        matterName: row.matterName,
        caseRef: row.caseNumber ?? receiptRef(row),
        caseNumber: row.caseNumber ?? '',
        ...variables,
      },
      idempotencyKey,
      orgId: row.orgId,
    },
    deps,
  );
}
