import type { Readable } from 'node:stream';
import { AppError } from '@guotu/domain';
import { inTransaction } from '../../platform/db.ts';
import { readBlob, recordBlobTx, storeBytes } from '../blobs/service.ts';
import { listHistory } from '../workflow/repository.ts';
import { buildArchive, type ArchiveEntry } from './archive-zip.ts';
import {
  checkVersion,
  loadCase,
  recordEvent,
  requirePermission,
  requireStatus,
  type CaseDeps,
  type CaseParty,
} from './context.ts';
import { documentTitle, presentDetail } from './query-service.ts';
import * as repo from './repository.ts';

/**
 * Archiving (归档): the issued case becomes read-only and its archive package — every document,
 * material, opinion, the whole history and a manifest of SHA-256 hashes — is built, stored as a
 * blob and recorded on the case in one transaction. docs/cases.md § Archive package.
 */

async function bytesOf(dataDir: string, sha256: string): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of readBlob(dataDir, sha256)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const json = (value: unknown): Uint8Array => Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');

/** A file name safe inside the ZIP (no folders, no control characters). */
function safeName(name: string): string {
  // eslint-disable-next-line no-control-regex
  return name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').slice(0, 120) || 'file';
}

export async function archiveCase(deps: CaseDeps, party: CaseParty, id: number, version: number): Promise<void> {
  const actor = requirePermission(party, 'case.issue');
  const row0 = await loadCase(deps.db, party, id);
  requireStatus(row0, 'issued');
  checkVersion(row0, version);
  const now = deps.now();
  const detail = await presentDetail(deps, party, row0);
  const entries: ArchiveEntry[] = [];
  for (const d of await repo.listDocuments(deps.db, id))
    entries.push({
      path: `documents/${String(d.id).padStart(3, '0')}-${documentTitle(d.kind)}.pdf`,
      bytes: await bytesOf(deps.config.dataDir, d.sha256),
    });
  for (const f of await repo.listMaterialFiles(deps.db, id))
    entries.push({
      path: `materials/${f.materialKey}/${f.round}-${f.id}-${safeName(f.originalName)}`,
      bytes: await bytesOf(deps.config.dataDir, f.sha256),
    });
  const events = await repo.listEvents(deps.db, id);
  const workflowHistory = row0.workflowInstanceId ? await listHistory(deps.db, row0.workflowInstanceId) : [];
  entries.push({ path: 'case.json', bytes: json({ ...detail, status: 'archived', archivedAt: now.toISOString() }) });
  entries.push({ path: 'history.json', bytes: json({ caseEvents: events, workflowHistory }) });
  entries.push({
    path: 'opinions.json',
    bytes: json(
      events
        .filter((e) => e.type === 'stepCompleted' || e.type === 'decided' || e.type === 'returned')
        .map((e) => ({
          at: e.at,
          step: e.data.name ?? e.data.node ?? e.type,
          by: e.actorName,
          org: e.orgName,
          ...e.data,
        })),
    ),
  });
  if (detail.parcel?.geometry)
    entries.push({
      path: 'parcel.geojson',
      bytes: json({ type: 'Feature', properties: { caseNumber: row0.caseNumber }, geometry: detail.parcel.geometry }),
    });
  if (detail.analysis) entries.push({ path: 'analysis.json', bytes: json(detail.analysis) });
  const caseNumber = row0.caseNumber;
  if (!caseNumber) throw new AppError('INVALID_STATE', `case ${id} has no case number`);
  const archive = buildArchive(caseNumber, now.toISOString(), entries);
  const stored = await storeBytes(deps.config.dataDir, archive.zip, Number.MAX_SAFE_INTEGER);
  await inTransaction(deps.db, async (tx) => {
    const row = await loadCase(tx, party, id, { forUpdate: true });
    requireStatus(row, 'issued');
    checkVersion(row, version);
    await recordBlobTx(tx, stored);
    await repo.updateCase(tx, id, { status: 'archived', archivedAt: now, archiveSha256: stored.sha256 }, now);
    await recordEvent(tx, row, party, 'archived', now, {
      sha256: stored.sha256,
      entries: archive.manifest.entries.length,
      by: actor.username,
    });
  });
}

export async function openArchive(
  deps: CaseDeps,
  party: CaseParty,
  id: number,
): Promise<{ name: string; stream: Readable }> {
  const row = await loadCase(deps.db, party, id);
  if (party.kind !== 'staff') throw new AppError('NOT_FOUND', `case ${id} has no archive for you`);
  if (!row.archiveSha256) throw new AppError('NOT_FOUND', `case ${id} is not archived`);
  return { name: `${row.caseNumber ?? row.id}-archive.zip`, stream: readBlob(deps.config.dataDir, row.archiveSha256) };
}
