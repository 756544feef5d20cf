/**
 * Org units form a tree; the `path` of a unit is its ancestors' ids joined by '/', ending in
 * its own id ("/1/5/42/"). A grant at a unit covers every unit whose path starts with the
 * grant unit's path. Pure helpers here; SQL uses the same rule with `LIKE path || '%'`.
 */
export const orgKinds = ['province', 'office', 'city', 'county', 'township'] as const;
export type OrgKind = (typeof orgKinds)[number];

export function isWithinScope(scopePath: string, targetPath: string): boolean {
  return targetPath.startsWith(scopePath);
}

export function childPath(parentPath: string, id: number | string): string {
  return `${parentPath}${id}/`;
}
