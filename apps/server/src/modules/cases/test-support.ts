import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCoordinateFile } from '@guotu/spatial';
import { testdataDir } from '../../../../../packages/spatial/test/testdata.ts';
import type { TestApp } from '../../../test/harness.ts';
import { permissionsOf } from '../auth/service.ts';
import { findUserByUsername, findUserInScope } from '../users/repository.ts';
import type { CaseParty } from './context.ts';

export { MATTER, REQUIRED_PDFS } from './test-materials.ts';

/** What the case tests share: the real coordinate file, the matter's required materials, sessions. */

/** A real boundary coordinate file: 5 parcels, no warnings (../shared/testdata/coordfiles). */
export const COORDS = path.join(testdataDir, 'coordfiles/01_Windr07_Txt-ShpConverter_SampleData.txt');
export const coordinates = readFileSync(COORDS);

/** The file's computed area to four decimals of a hectare (1 m²), as a form would declare it. */
export const areaHa = Number(
  (parseCoordinateFile(coordinates).parcels.reduce((s, p) => s + p.areaM2, 0) / 10_000).toFixed(4),
);

/** A consistent application form at 武昌区 (420106) for `projectName`. */
export function landConversionForm(projectName: string): Record<string, unknown> {
  return {
    projectName,
    batchType: '城市批次建设用地',
    countyDivisionCode: '420106',
    totalArea: areaHa,
    agriculturalArea: 1,
    cultivatedArea: 0.5,
  };
}

/** Staff request headers, one login per user (logins are rate limited). */
export function staffSessions(t: () => TestApp): (user: string) => Promise<Record<string, string>> {
  const sessions = new Map<string, Record<string, string>>();
  return async (user) => {
    const known = sessions.get(user);
    if (known) return known;
    const headers = (await t().login(user)).headers;
    sessions.set(user, headers);
    return headers;
  };
}

/** A staff member as the auth hook presents them, to call the case services directly (e.g. at a fixed `now`). */
export async function staffParty(t: TestApp, username: string): Promise<CaseParty & { kind: 'staff' }> {
  const ref = await findUserByUsername(t.ctx.database.db, username);
  const user = ref ? await findUserInScope(t.ctx.database.db, ref.id, '/') : undefined;
  if (!user) throw new Error(`no user ${username}`);
  const { id: userId, roles, orgId, orgPath } = user;
  return {
    kind: 'staff',
    actor: { userId, username, roles, permissions: permissionsOf(roles), orgId, orgPath, requestId: 'test' },
  };
}
