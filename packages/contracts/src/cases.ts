/**
 * API contract of the case module (办件): the applicant's side (/api/v1/public/applicant/cases),
 * the staff side (/api/v1/cases) and the public progress query and document check
 * (/api/v1/public/progress, /api/v1/public/documents/verify). docs/cases.md.
 */

export const caseStatuses = [
  'draft',
  'submitted',
  'supplementRequested',
  'inReview',
  'refused',
  'decided',
  'issued',
  'archived',
  'withdrawn',
] as const;
/**
 * draft 草稿 · submitted 已收件（待受理） · supplementRequested 待补正 · inReview 已受理（审查中）
 * · refused 不予受理 · decided 已决定（待发文） · issued 已发文 · archived 已归档 · withdrawn 已撤回
 */
export type CaseStatus = (typeof caseStatuses)[number];

export const caseChannels = ['online', 'window', 'remote'] as const;
export type CaseChannel = (typeof caseChannels)[number];

export const caseTiers = ['county', 'city', 'province'] as const;
export type CaseTier = (typeof caseTiers)[number];

/** The clock states the case list filters on (the worst of the case's open clocks). */
export const caseClockStates = ['normal', 'warning', 'overdue', 'paused', 'stopped'] as const;
export type CaseClockState = (typeof caseClockStates)[number];

export const caseDocumentKinds = [
  'acceptanceNotice',
  'supplementNotice',
  'refusalDecision',
  'approvalReply',
  'disapprovalDecision',
] as const;
/** 受理通知书 · 补正材料通知书 · 不予受理决定书 · 批复 · 不予批准决定书 */
export type CaseDocumentKind = (typeof caseDocumentKinds)[number];

/** What the caller may do on the case now (the UI shows exactly these as buttons). */
export const caseActions = [
  // applicant or window clerk on a draft / a supplement request
  'edit',
  'submit',
  'withdraw',
  // window at acceptance
  'accept',
  'requestSupplement',
  'refuse',
  // window after issuance
  'archive',
  // window or leader: 特事特办
  'expedite',
  // window (case.accept or case.issue) from acceptance to issuance: 收费登记, and 作废/更正 of a
  // recorded fee (the same people and states)
  'recordFee',
] as const;
export type CaseAction = (typeof caseActions)[number];

/** A problem found before submission; `materialKey` or `field` names what it is about. */
export interface CaseProblem {
  code: string;
  message: string;
  /** the form field (`form.totalArea`) or material (`materials.boundaryCoordinates`) */
  path: string;
  materialKey?: string;
  /** line in the coordinate file, when the problem comes from it */
  line?: number;
  /** warnings do not block submission; errors do */
  severity: 'error' | 'warning';
}

export interface CaseMaterialFile {
  id: number;
  materialKey: string;
  blobRefId: number;
  originalName: string;
  detectedType: string;
  size: number;
  sha256: string;
  round: number;
  addedAt: string;
}

/** One material of the matter with the files attached to it. */
export interface CaseMaterialSlot {
  key: string;
  name: string;
  required: boolean;
  formats: string[];
  notes: string | null;
  files: CaseMaterialFile[];
}

export interface CaseParcel {
  crs: string | null;
  /** all parcels of the coordinate file */
  parcels: Array<{ no: string; name: string | null; areaM2: number; declaredArea: number | null }>;
  totalAreaM2: number;
  /** GeoJSON geometry in geographic CGCS2000 (lon/lat) for the map */
  geometry: unknown;
  warnings: Array<{ line: number | null; code: string; message: string }>;
  errors: Array<{ line: number | null; code: string; message: string }>;
}

export interface CaseAnalysisLayer {
  layerId: number;
  layerName: string;
  kind: string;
  overlapM2: number;
  byClass: Array<{ class: string; areaM2: number }>;
}

export interface CaseAnalysis {
  analysedAt: string;
  parcelAreaM2: number;
  layers: CaseAnalysisLayer[];
  flags: string[];
  /** 土地管理法 §46: which organ approves */
  approvalAuthority: string | null;
}

export interface CaseClockView {
  /** acceptance · statutory · promised · expedite · tier:county · tier:city · delivery */
  purpose: string;
  ruleKey: string | null;
  unit: 'workday' | 'day' | 'hour';
  limit: number;
  startedAt: string;
  dueAt: string | null;
  dueDate: string | null;
  state: CaseClockState;
  /** working days (or the unit) paused so far, e.g. during a supplement */
  pausedDays: number;
  stoppedAt: string | null;
}

export interface CaseEventView {
  id: number;
  at: string;
  /** submitted, supplementRequested, resubmitted, accepted, acceptedByDefault, refused, stepStarted, stepCompleted, submittedUp, forwarded, returned, decided, issued, archived, expedited … */
  type: string;
  tier: CaseTier | null;
  orgName: string | null;
  /** staff view only; the public view leaves it null */
  actorName: string | null;
  /** step name, opinion, decision, document number … by type */
  data: Record<string, unknown>;
}

export interface CaseDocumentView {
  id: number;
  kind: CaseDocumentKind;
  number: string | null;
  verificationCode: string;
  issuedAt: string;
  sha256: string;
}

export interface CaseTaskView {
  /** workflow task id: the task page and its operations are /api/v1/workflow/tasks/{id} */
  id: string;
  node: string;
  name: string | null;
  orgName: string | null;
  assignee: string | null;
  candidateRoles: string[];
  dueAt: string | null;
}

export interface CaseSupplementView {
  round: number;
  items: Array<{ materialKey: string | null; message: string }>;
  note: string | null;
  requestedAt: string;
  resolvedAt: string | null;
}

/** A fee taken for the case (收费登记), docs/cases.md § Fees. */
export interface CaseFeeView {
  id: number;
  itemName: string;
  basis: string | null;
  /** yuan with two decimals, as text ("200.00"): money is not a float */
  amount: string;
  collectedAt: string;
  /** staff view only; the applicant's view leaves it null */
  recordedBy: string | null;
  note: string | null;
  /** when the record was voided (作废); a voided record stays listed, struck through, and counts for nothing */
  voidedAt: string | null;
  /** who voided it (staff view only) */
  voidedBy: string | null;
  voidReason: string | null;
  /** on a corrected record: the id of the voided record it replaces */
  corrects: number | null;
  /** on a voided record: the id of the record that corrected it, if one was recorded */
  correctedBy: number | null;
}

export interface CaseSummary {
  id: number;
  caseNumber: string | null;
  matterCode: string;
  matterName: string;
  title: string;
  status: CaseStatus;
  channel: CaseChannel;
  tier: CaseTier | null;
  orgName: string;
  currentOrgName: string | null;
  applicantName: string;
  receivedAt: string | null;
  acceptedAt: string | null;
  acceptedByDefault: boolean;
  expedite: boolean;
  expediteTracker: string | null;
  /** the worst state of the open clocks, and the nearest due date */
  clockState: CaseClockState | null;
  dueDate: string | null;
  updatedAt: string;
}

export interface CaseDetail extends CaseSummary {
  matterVersion: number;
  version: number;
  form: Record<string, unknown>;
  materials: CaseMaterialSlot[];
  /** the pre-submission check of the current content (empty when nothing is wrong) */
  problems: CaseProblem[];
  parcel: CaseParcel | null;
  analysis: CaseAnalysis | null;
  clocks: CaseClockView[];
  events: CaseEventView[];
  documents: CaseDocumentView[];
  supplements: CaseSupplementView[];
  /** fees recorded on the case, oldest first */
  fees: CaseFeeView[];
  decision: 'approved' | 'disapproved' | null;
  decisionReason: string | null;
  documentNumber: string | null;
  issuedAt: string | null;
  archivedAt: string | null;
  workflowInstanceId: string | null;
  /** open workflow tasks (staff view only) */
  tasks: CaseTaskView[];
  actions: CaseAction[];
}

export interface CaseList {
  items: CaseSummary[];
  total: number;
}

export interface CaseListQuery {
  status?: CaseStatus;
  matterCode?: string;
  orgId?: number;
  tier?: CaseTier;
  clockState?: CaseClockState;
  expedite?: boolean;
  /** case number, title or applicant name */
  q?: string;
  limit?: number;
  offset?: number;
}

/** Start a draft (applicant) or a window intake on an applicant's behalf (staff). */
export interface CreateCaseRequest {
  matterCode: string;
  /** the receiving bureau: for a remote-submission matter, the county bureau (division code) */
  divisionCode?: string;
  title?: string;
  form?: Record<string, unknown>;
  /** window intake only */
  applicant?: { name: string; phone: string };
}

export interface UpdateCaseRequest {
  /** optimistic lock: the case's version as read */
  version: number;
  title?: string;
  form?: Record<string, unknown>;
}

export interface SubmitCaseRequest {
  version: number;
}

export interface AcceptCaseRequest {
  version: number;
  /** 特事特办 at acceptance (matter must allow it): the named tracker's user id */
  expediteTrackerId?: number;
}

export interface RequestSupplementRequest {
  version: number;
  items: Array<{ materialKey?: string; message: string }>;
  note?: string;
}

export interface RefuseCaseRequest {
  version: number;
  reason: string;
}

export interface ExpediteCaseRequest {
  version: number;
  trackerId: number;
  reason: string;
}

/**
 * 收费登记 (POST /api/v1/cases/{id}/fees): staff with case.accept or case.issue, while the case is
 * inReview, decided or issued. The item is one of the matter's fee items or free text.
 */
export interface RecordCaseFeeRequest {
  version: number;
  itemName: string;
  /** yuan, more than 0, at most two decimals */
  amount: number;
  /** defaults to the basis of the matter's item of that name */
  basis?: string;
  note?: string;
}

/**
 * 作废/更正 (POST /api/v1/cases/{id}/fees/{feeId}/void): the same people and states as recording.
 * The record is never edited: it is voided with a reason and, with `correction`, the right one is
 * recorded in the same change (it keeps the voided record's collection time).
 */
export interface VoidCaseFeeRequest {
  version: number;
  /** why the record is wrong; required */
  reason: string;
  /** the record as it should have been */
  correction?: Omit<RecordCaseFeeRequest, 'version'>;
}

export interface CaseActionResponse {
  case: CaseDetail;
  /** the query code, shown once at acceptance (the applicant also gets it by SMS and on the 受理通知书) */
  queryCode?: string;
}

/** Public progress: the same 404 for a wrong number as for a wrong code. */
export interface ProgressQueryRequest {
  caseNumber: string;
  queryCode: string;
}

export interface PublicProgress {
  caseNumber: string;
  matterName: string;
  title: string;
  status: CaseStatus;
  receivedAt: string | null;
  acceptedAt: string | null;
  responsibleOrgName: string | null;
  tier: CaseTier | null;
  steps: Array<{
    name: string;
    tier: CaseTier | null;
    orgName: string | null;
    startedAt: string;
    endedAt: string | null;
  }>;
  clocks: CaseClockView[];
  decision: 'approved' | 'disapproved' | null;
  documentNumber: string | null;
  issuedAt: string | null;
}

export interface DocumentVerification {
  valid: boolean;
  kind?: CaseDocumentKind;
  number?: string | null;
  caseNumber?: string | null;
  issuedAt?: string;
  issuerOrgName?: string;
  sha256?: string;
}

/** Someone who may be named the 特事特办 tracker (GET /api/v1/cases/trackers). */
export interface CaseTrackerCandidate {
  id: number;
  username: string;
  displayName: string;
  orgName: string;
}
