/**
 * Permissions as a union of dotted strings (STYLE.md). A role is a named set of permissions;
 * a user holds roles at an org unit, and the grant reaches that unit's whole subtree
 * (a county user acts inside its county; the department sees all).
 */
export const permissions = [
  'org.read',
  'org.manage',
  'user.read',
  'user.manage',
  'calendar.read',
  'calendar.manage',
  'case.read',
  'case.receive',
  'case.accept',
  'case.handle',
  'case.review',
  'case.approve',
  'case.issue',
  'case.archive',
  'workflow.read',
  'workflow.deploy',
  'workflow.admin',
  'supervision.read',
  'supervision.act',
  'map.read',
  'map.manage',
  'document.read',
  'document.manage',
  'geohazard.read',
  'geohazard.manage',
  'audit.read',
] as const;

export type Permission = (typeof permissions)[number];

export const roleKeys = [
  'admin',
  'window_clerk',
  'handler',
  'reviewer',
  'office_head',
  'leader',
  'supervisor',
  'geohazard_officer',
] as const;

export type RoleKey = (typeof roleKeys)[number];

/** Built-in roles. Names are shown in the UI through i18n keys `role.<key>`. */
export const rolePermissions: Record<RoleKey, readonly Permission[]> = {
  admin: permissions,
  window_clerk: [
    'org.read',
    'calendar.read',
    'case.read',
    'case.receive',
    'case.accept',
    'case.issue',
    'map.read',
    'workflow.read',
  ],
  handler: ['org.read', 'calendar.read', 'case.read', 'case.handle', 'map.read', 'workflow.read', 'document.read'],
  reviewer: ['org.read', 'calendar.read', 'case.read', 'case.review', 'map.read', 'workflow.read', 'document.read'],
  office_head: [
    'org.read',
    'user.read',
    'calendar.read',
    'case.read',
    'case.review',
    'case.handle',
    'map.read',
    'workflow.read',
    'document.read',
    'supervision.read',
  ],
  leader: [
    'org.read',
    'user.read',
    'calendar.read',
    'case.read',
    'case.approve',
    'map.read',
    'workflow.read',
    'document.read',
    'document.manage',
    'supervision.read',
  ],
  supervisor: [
    'org.read',
    'user.read',
    'calendar.read',
    'case.read',
    'supervision.read',
    'supervision.act',
    'audit.read',
    'map.read',
    'workflow.read',
  ],
  geohazard_officer: ['org.read', 'calendar.read', 'map.read', 'geohazard.read', 'geohazard.manage'],
};

export function isPermission(value: string): value is Permission {
  return (permissions as readonly string[]).includes(value);
}

export function isRoleKey(value: string): value is RoleKey {
  return (roleKeys as readonly string[]).includes(value);
}
