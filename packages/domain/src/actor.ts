import type { Permission, RoleKey } from './permissions.ts';

/** Who is acting. Services take this, never HTTP types. */
export interface Actor {
  userId: number;
  username: string;
  roles: readonly RoleKey[];
  permissions: readonly Permission[];
  orgId: number;
  /** org path of the actor's unit; the actor's scope is this subtree */
  orgPath: string;
  requestId: string;
}

export function hasPermission(actor: Pick<Actor, 'permissions'>, permission: Permission): boolean {
  return actor.permissions.includes(permission);
}
