import type { OrgUnit, RoleInfo, UserList } from '@guotu/contracts';
import { orgsPath, rolesPath, usersPath, type UserQuery } from '../api/endpoints.ts';
import { useQuery } from './useQuery.ts';

/** Org units of the caller's scope, as a flat list (build the tree with `buildOrgTree`). */
export const useOrgs = () => useQuery<OrgUnit[]>(orgsPath);
export const useRoles = (enabled = true) => useQuery<RoleInfo[]>(enabled ? rolesPath : null);
export const useUsers = (query: UserQuery) => useQuery<UserList>(usersPath(query));
