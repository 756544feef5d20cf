import type {
  ChangePasswordRequest,
  CreateOrgRequest,
  CreateUserRequest,
  LoginRequest,
  OrgUnit,
  RoleInfo,
  SessionResponse,
  UpdateUserRequest,
  User,
  UserList,
} from '@guotu/contracts';
import { api, withQuery } from './client.ts';

// One typed function per endpoint of the contract (packages/contracts). Paths are relative
// to /api/v1.

export const getSession = (signal?: AbortSignal) =>
  api<SessionResponse>('/auth/session', { signal, quietUnauthenticated: true });

export const login = (body: LoginRequest) =>
  api<SessionResponse>('/auth/login', { method: 'POST', body, quietUnauthenticated: true });

export const logout = () => api<undefined>('/auth/logout', { method: 'POST', quietUnauthenticated: true });

export const changePassword = (body: ChangePasswordRequest) =>
  api<undefined>('/auth/password', { method: 'POST', body, quietUnauthenticated: true });

export const orgsPath = '/orgs';
export const createOrg = (body: CreateOrgRequest) => api<OrgUnit>('/orgs', { method: 'POST', body });

export interface UserQuery {
  orgId?: number | undefined;
  q?: string | undefined;
  limit: number;
  offset: number;
}
export const usersPath = (query: UserQuery) => withQuery('/users', { ...query });
export const createUser = (body: CreateUserRequest) => api<User>('/users', { method: 'POST', body });
export const updateUser = (id: number, body: UpdateUserRequest) => api<User>(`/users/${id}`, { method: 'PATCH', body });

export const rolesPath = '/roles';

export type { OrgUnit, RoleInfo, User, UserList };
