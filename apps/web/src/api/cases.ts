import type {
  AcceptCaseRequest,
  CaseActionResponse,
  CaseDetail,
  CaseListQuery,
  CreateCaseRequest,
  ErrorResponse,
  ExpediteCaseRequest,
  RecordCaseFeeRequest,
  RefuseCaseRequest,
  RequestSupplementRequest,
  SubmitCaseRequest,
  UpdateCaseRequest,
} from '@guotu/contracts';
import { api, ApiError, withQuery } from './client.ts';

// The staff side of the case module (docs/cases.md § API): /api/v1/cases. Types from
// @guotu/contracts (shared with the server); paths and calls here. The applicant's side is
// api/cases-portal.ts.

export type {
  AcceptCaseRequest,
  CaseAction,
  CaseActionResponse,
  CaseAnalysis,
  CaseClockState,
  CaseClockView,
  CaseDetail,
  CaseDocumentKind,
  CaseDocumentView,
  CaseEventView,
  CaseFeeView,
  CaseList,
  CaseListQuery,
  CaseMaterialFile,
  CaseMaterialSlot,
  CaseParcel,
  CaseProblem,
  CaseStatus,
  CaseSummary,
  CaseSupplementView,
  CaseTaskView,
  CaseTier,
  CreateCaseRequest,
  ExpediteCaseRequest,
  RecordCaseFeeRequest,
  RefuseCaseRequest,
  RequestSupplementRequest,
} from '@guotu/contracts';
export { caseClockStates, caseStatuses, caseTiers, caseDocumentKinds } from '@guotu/contracts';

const base = '/cases';
const one = (id: number) => `${base}/${id}`;

export const casesPath = (query: CaseListQuery) => withQuery(base, { ...query });
export const casePath = (id: number) => one(id);
/** 特事特办 tracker candidates (staff of my bureau and the department's offices) */
export const caseTrackersPath = (q: string | undefined) => withQuery(`${base}/trackers`, { q });

/** Plain URLs (cookie-authenticated GETs) for links, previews and downloads. */
export const caseFileUrl = (id: number, fileId: number) => `/api/v1${one(id)}/files/${fileId}`;
export const caseDocumentUrl = (id: number, docId: number) => `/api/v1${one(id)}/documents/${docId}`;
export const caseArchiveUrl = (id: number) => `/api/v1${one(id)}/archive.zip`;

export const createCase = (body: CreateCaseRequest) => api<CaseDetail>(base, { method: 'POST', body });
export const updateCase = (id: number, body: UpdateCaseRequest) => api<CaseDetail>(one(id), { method: 'PUT', body });
export const deleteMaterial = (id: number, fileId: number) =>
  api<CaseDetail>(`${one(id)}/materials/${fileId}`, { method: 'DELETE' });
export const submitCase = (id: number, body: SubmitCaseRequest) =>
  api<CaseActionResponse>(`${one(id)}/submit`, { method: 'POST', body });
export const acceptCase = (id: number, body: AcceptCaseRequest) =>
  api<CaseActionResponse>(`${one(id)}/accept`, { method: 'POST', body });
export const requestSupplement = (id: number, body: RequestSupplementRequest) =>
  api<CaseActionResponse>(`${one(id)}/request-supplement`, { method: 'POST', body });
export const refuseCase = (id: number, body: RefuseCaseRequest) =>
  api<CaseActionResponse>(`${one(id)}/refuse`, { method: 'POST', body });
export const expediteCase = (id: number, body: ExpediteCaseRequest) =>
  api<CaseActionResponse>(`${one(id)}/expedite`, { method: 'POST', body });
/** 收费登记 (case.accept or case.issue; the case inReview, decided or issued) */
export const recordCaseFee = (id: number, body: RecordCaseFeeRequest) =>
  api<CaseActionResponse>(`${one(id)}/fees`, { method: 'POST', body });
export const archiveCase = (id: number, version: number) =>
  api<CaseActionResponse>(`${one(id)}/archive`, { method: 'POST', body: { version } });

/**
 * Multipart POST (materials, ZIP package). The CSRF token is read from the session the way the
 * map's layer import does, and a 401 here is not broadcast. (The client now sends FormData too:
 * `api(path, { method: 'POST', body: form })` would save the session read, but would change
 * what an upload asks of the server and sign the clerk out on a 401 — left as it was.)
 */
async function postMultipart<T>(path: string, form: FormData): Promise<T> {
  const { csrfToken } = await api<{ csrfToken: string }>('/auth/session');
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method: 'POST',
      headers: { accept: 'application/json', 'x-csrf-token': csrfToken },
      body: form,
      credentials: 'same-origin',
    });
  } catch (cause) {
    throw new ApiError(0, undefined, cause instanceof Error ? cause.message : 'network error');
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) throw new ApiError(response.status, body as ErrorResponse | undefined, response.statusText);
  return body as T;
}

export function uploadMaterial(id: number, materialKey: string, file: File): Promise<CaseDetail> {
  const form = new FormData();
  form.append('materialKey', materialKey);
  form.append('file', file, file.name);
  return postMultipart<CaseDetail>(`${one(id)}/materials`, form);
}

/** What the server made of a ZIP package: entries placed on a material, and the rest with why. */
export interface PackageReport {
  case: CaseDetail;
  placed: Array<{ entry: string; materialKey: string }>;
  unplaced: Array<{ entry: string; reason: string }>;
}

export function uploadPackage(id: number, file: File): Promise<PackageReport> {
  const form = new FormData();
  form.append('file', file, file.name);
  return postMultipart<PackageReport>(`${one(id)}/package`, form);
}

/**
 * A case file as a blob URL for inline preview: the server sends files as attachments (so a
 * plain link downloads), an object URL lets an iframe or img show them. Revoke when done.
 */
export async function fileObjectUrl(url: string, type: string): Promise<string> {
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new ApiError(response.status, undefined, response.statusText);
  return URL.createObjectURL(new Blob([await response.arrayBuffer()], { type }));
}

// ── the matter catalog, as far as the case screens need it (docs/matters.md) ──

export interface MatterHead {
  code: string;
  name: string;
  category: string;
  levels: string[];
  publishedVersion: number | null;
}

/** A JSON Schema property of a matter form, as far as the editor renders it. */
export interface FormFieldSchema {
  type?: 'string' | 'number' | 'integer' | 'boolean';
  title?: string;
  enum?: Array<string | number>;
  pattern?: string;
  maxLength?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
}

export interface MatterFormSpec {
  schema: { required?: string[]; properties?: Record<string, FormFieldSchema> };
  layout: Array<{ field: string; span?: number; section?: string }>;
}

export interface MatterFees {
  charged: boolean;
  items: Array<{ name: string; basis: string; amount: string }>;
  notes?: string;
}

export interface MatterVersion {
  code: string;
  version: number;
  spec: {
    name: string;
    submissionPath?: string[];
    expedite?: boolean;
    form: MatterFormSpec;
    /** amounts are text: a number ("20", "20元") or a standard ("按…标准") */
    fees?: MatterFees;
  };
}

export const mattersPath = '/matters';
export const matterVersionPath = (code: string, version: number) =>
  `/matters/${encodeURIComponent(code)}/versions/${version}`;
