import { AppError, hasPermission, type Actor } from '@guotu/domain';
import type { Db } from '../../platform/db.ts';
import { findAnomalies, type AnomalyRule } from './anomalies-repository.ts';

export type { AnomalyRule };
export const anomalyRules: readonly AnomalyRule[] = [
  'refusalWithoutReason',
  'repeatedReturns',
  'outOfOrder',
  'backDated',
  'selfDealing',
  'feeOutsideRules',
];

/** Anomalies beyond time, newest first, each with the rule that fired (docs/supervision.md). */
export async function listAnomalies(
  db: Db,
  actor: Actor,
  options: { rule?: AnomalyRule; minReturns?: number; toleranceMinutes?: number; limit: number },
) {
  if (!hasPermission(actor, 'supervision.read'))
    throw new AppError('FORBIDDEN', 'requires permission supervision.read');
  const rows = await findAnomalies(db, {
    minReturns: options.minReturns ?? 3,
    toleranceMinutes: options.toleranceMinutes ?? 60,
    limit: options.limit,
    ...(options.rule ? { rule: options.rule } : {}),
  });
  return rows.map((r) => ({
    rule: r.rule,
    instanceId: r.instance_id,
    caseNumber: r.business_key,
    orgId: r.org_id,
    taskKey: r.task_key,
    byUser: r.by_user,
    at: new Date(r.at).toISOString(),
    detail: r.detail,
  }));
}
