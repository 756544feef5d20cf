import type {
  CaseActionResponse,
  CaseDetail,
  CaseList,
  CreateCaseRequest,
  DocumentVerification,
  ProgressQueryRequest,
  PublicProgress,
  UpdateCaseRequest,
} from '@guotu/contracts';
import { applicantApi } from './applicant.ts';
import { withQuery } from './client.ts';

/**
 * The applicant's cases on the portal (/api/v1/public/applicant/cases, docs/cases.md § API), the
 * public progress query and the document check. Types from @guotu/contracts.
 */

const base = '/public/applicant/cases';
const one = (id: number) => `${base}/${id}`;

/** The report of a ZIP package: which entries went to which material, which found no place. */
export interface PackageReport {
  case: CaseDetail;
  placed: Array<{ entry: string; materialKey: string }>;
  unplaced: Array<{ entry: string; reason: string }>;
}

export const createCase = (request: Pick<CreateCaseRequest, 'matterCode' | 'divisionCode' | 'title' | 'form'>) =>
  applicantApi<CaseDetail>(base, { method: 'POST', body: request });

export const listMyCases = (query: { limit?: number; offset?: number } = {}, signal?: AbortSignal) =>
  applicantApi<CaseList>(withQuery(base, query), { signal });

export const getMyCase = (id: number, signal?: AbortSignal) => applicantApi<CaseDetail>(one(id), { signal });

export const updateMyCase = (id: number, request: UpdateCaseRequest) =>
  applicantApi<CaseDetail>(one(id), { method: 'PUT', body: request });

export function uploadMaterial(id: number, materialKey: string, file: File): Promise<CaseDetail> {
  const body = new FormData();
  // the field before the file: the server reads the multipart stream in order
  body.append('materialKey', materialKey);
  body.append('file', file, file.name);
  return applicantApi<CaseDetail>(`${one(id)}/materials`, { method: 'POST', body });
}

export const removeMaterialFile = (id: number, fileId: number) =>
  applicantApi<CaseDetail>(`${one(id)}/materials/${fileId}`, { method: 'DELETE' });

export function uploadPackage(id: number, file: File): Promise<PackageReport> {
  const body = new FormData();
  body.append('file', file, file.name);
  return applicantApi<PackageReport>(`${one(id)}/package`, { method: 'POST', body });
}

export const submitMyCase = (id: number, version: number) =>
  applicantApi<CaseActionResponse>(`${one(id)}/submit`, { method: 'POST', body: { version } });

export const withdrawMyCase = (id: number, version: number) =>
  applicantApi<CaseActionResponse>(`${one(id)}/withdraw`, { method: 'POST', body: { version } });

/** Downloads are plain links: the cookie goes with a GET, no token needed. */
export const materialFileUrl = (id: number, fileId: number) => `/api/v1${one(id)}/files/${fileId}`;
export const documentUrl = (id: number, docId: number) => `/api/v1${one(id)}/documents/${docId}`;

export const queryProgress = (request: ProgressQueryRequest) =>
  applicantApi<PublicProgress>('/public/progress', { method: 'POST', body: request, quietUnauthenticated: true });

export const verifyDocument = (code: string, signal?: AbortSignal) =>
  applicantApi<DocumentVerification>(withQuery('/public/documents/verify', { code }), {
    signal,
    quietUnauthenticated: true,
  });

/** A GB/T 2260 division (GET /api/v1/divisions?parent=). */
export interface DivisionOption {
  code: string;
  name: string;
  level: string;
  parentCode: string | null;
}

export const listDivisions = (parent?: string) =>
  applicantApi<DivisionOption[]>(withQuery('/divisions', { parent }), { quietUnauthenticated: true });
