import type { Division } from '@guotu/contracts';
import type { Db } from '../../platform/db.ts';
import shipped from './data/divisions-hubei-hunan.json' with { type: 'json' };
import { listDivisions, upsertDivisions } from './repository.ts';

export function shippedDivisions(): Division[] {
  return shipped.divisions.map((d) => ({
    code: d.code,
    name: d.name,
    level: d.level as Division['level'],
    parentCode: d.parentCode,
  }));
}

export const shippedDivisionsSource: string = shipped.source;

export function listDivisionChildren(db: Db, parentCode: string | null): Promise<Division[]> {
  return listDivisions(db, parentCode);
}

export function loadShippedDivisions(db: Db): Promise<void> {
  return upsertDivisions(db, shippedDivisions());
}
