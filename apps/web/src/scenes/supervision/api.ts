import { api, withQuery } from '../../api/client.ts';

// The supervision endpoints (apps/server/src/modules/supervision, docs/supervision.md).

export type SupervisionLevel = 'normal' | 'warning' | 'overdue' | 'paused' | 'calendarNotCovered';
export const supervisionLevels: readonly SupervisionLevel[] = [
  'normal',
  'warning',
  'overdue',
  'paused',
  'calendarNotCovered',
];

export interface Overview {
  asOf: string;
  counts: Record<SupervisionLevel, number>;
}

export interface ClockItem {
  id: string;
  subjectType: string;
  subjectId: string;
  purpose: string;
  unit: string;
  limit: number;
  startedAt: string;
  dueAt: string | null;
  dueDate: string | null;
  level: SupervisionLevel;
}

export interface AlertItem {
  id: string;
  level: 'warning' | 'overdue';
  dueAt: string;
  raisedAt: string;
  escalatedAt: string | null;
  resolvedAt: string | null;
  subjectType: string;
  subjectId: string;
  purpose: string;
}

export type OrderKind = 'supervisionOrder' | 'explanation' | 'rectification';
export const orderKinds: readonly OrderKind[] = ['supervisionOrder', 'explanation', 'rectification'];
export type OrderStatus = 'issued' | 'replied' | 'closed';

export interface Order {
  id: string;
  number: string;
  kind: OrderKind;
  orgId: number;
  orgName: string;
  caseNumber: string | null;
  reason: string;
  status: OrderStatus;
  rounds: number;
  dueAt: string | null;
  issuedAt: string;
  reply: string | null;
  repliedAt: string | null;
  repliedOnTime: boolean | null;
  closedAt: string | null;
  closeNote: string | null;
  version: number;
}

export type OrderAction = 'issued' | 'replied' | 'sentBack' | 'closed';

/** GET /supervision/orders/:id: the order, what the caller may do with it, and its history. */
export interface OrderDetail extends Order {
  abilities: { reply: boolean; close: boolean; sendBack: boolean };
  events: Array<{
    at: string;
    action: OrderAction;
    byUserId: number | null;
    byName: string | null;
    note: string | null;
  }>;
}

export interface AuditVerification {
  ok: boolean;
  records: number;
  pending: number;
  checkpoints: number;
  problems: Array<{ seq: string; kind: string; message: string }>;
  verifiedAt: string;
}

export type PeriodKind = 'week' | 'month' | 'quarter';

/** Weights of the efficiency score components (server: supervision/scores.ts). */
export interface EfficiencyWeights {
  onTime: number;
  noWarning: number;
  speed: number;
  orders: number;
}
export type WeightKey = keyof EfficiencyWeights;
export const weightKeys: readonly WeightKey[] = ['onTime', 'noWarning', 'speed', 'orders'];
/** Each component in [0, 1]; only those that apply are present. */
export type ScoreComponents = Partial<Record<WeightKey, number>>;

/** The server's formula, for previewing unsaved weights: 100 × Σ wᵢ·cᵢ / Σ wᵢ over the present components. */
export function scoreWith(components: ScoreComponents, weights: EfficiencyWeights): number | null {
  let sum = 0;
  let weight = 0;
  for (const key of weightKeys) {
    const value = components[key];
    if (value === undefined) continue;
    sum += weights[key] * value;
    weight += weights[key];
  }
  return weight > 0 ? Math.round((1000 * sum) / weight) / 10 : null;
}

export interface Bulletin {
  period: { kind: PeriodKind; from: string; to: string; label: string };
  totals: {
    finishedSteps: number;
    onTime: number;
    onTimeRate: number | null;
    averageWorkingDays: number | null;
    warnings: number;
    overdue: number;
    ordersIssued: number;
    ordersClosed: number;
  };
  byOffice: Array<{
    orgId: number;
    orgName: string;
    finishedSteps: number;
    onTimeRate: number | null;
    averageWorkingDays: number | null;
    warnings: number;
    overdue: number;
    orders: number;
    score: number | null;
    components: ScoreComponents;
  }>;
  people: Array<{
    username: string;
    name: string;
    orgName: string;
    finishedSteps: number;
    onTimeRate: number | null;
    averageWorkingDays: number | null;
    score: number | null;
    components: ScoreComponents;
  }>;
  weights: EfficiencyWeights;
  overdueList: Array<{
    caseNumber: string | null;
    step: string | null;
    orgName: string;
    handler: string | null;
    dueAt: string;
    completedAt: string | null;
  }>;
  orders: Array<{ number: string; kind: OrderKind; orgName: string; status: OrderStatus }>;
}

export const overviewPath = '/supervision/overview';
export const clocksPath = (level: SupervisionLevel | undefined, orgId: number | undefined) =>
  withQuery('/supervision/clocks', { level, orgId, limit: 200 });
export const alertsPath = '/supervision/alerts?limit=200';
export const ordersPath = '/supervision/orders';
export const orderTargetsPath = '/supervision/order-targets';
export interface OrderTarget {
  id: number;
  name: string;
  kind: string;
  path: string;
}
export const verificationPath = '/audit/verification';
export const bulletinPath = (period: PeriodKind, date: string) => withQuery('/supervision/bulletins', { period, date });
export const bulletinPdfUrl = (period: PeriodKind, date: string) =>
  `/api/v1${withQuery('/supervision/bulletins/pdf', { period, date })}`;

export const issueOrder = (body: {
  kind: OrderKind;
  orgId: number;
  reason: string;
  replyWorkingDays: number;
  caseNumber?: string;
}) => api<Order>('/supervision/orders', { method: 'POST', body });
export const orderPath = (id: string) => `/supervision/orders/${id}`;
export const ordersListPath = (status: OrderStatus | undefined) => withQuery('/supervision/orders', { status });
export const closeOrder = (id: string, version: number, note?: string) =>
  api<Order>(`/supervision/orders/${id}/close`, { method: 'POST', body: { version, ...(note ? { note } : {}) } });
export const replyToOrder = (id: string, version: number, reply: string) =>
  api<Order>(`/supervision/orders/${id}/reply`, { method: 'POST', body: { version, reply } });
export const sendBackOrder = (id: string, version: number, note: string) =>
  api<Order>(`/supervision/orders/${id}/send-back`, { method: 'POST', body: { version, note } });

export const weightsPath = '/supervision/settings/efficiency-weights';
export const saveWeights = (weights: EfficiencyWeights) =>
  api<EfficiencyWeights>(weightsPath, { method: 'PUT', body: weights });

export type AnomalyRule =
  'refusalWithoutReason' | 'repeatedReturns' | 'outOfOrder' | 'backDated' | 'selfDealing' | 'feeOutsideRules';
export interface Anomaly {
  rule: AnomalyRule;
  /** the workflow instance (for a fee, the case's) */
  instanceId: string | null;
  caseNumber: string | null;
  taskKey: string | null;
  byUser: string | null;
  at: string;
  detail: string;
}
export const anomaliesPath = '/supervision/anomalies';
