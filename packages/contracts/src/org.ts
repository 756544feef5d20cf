import type { OrgKind, RoleKey } from '@guotu/domain';

export interface OrgUnit {
  id: number;
  parentId: number | null;
  kind: OrgKind;
  name: string;
  /** GB/T 2260 code for department/bureaus; null for offices and stations without one */
  divisionCode: string | null;
  /** ancestors' ids and its own, '/1/5/42/' */
  path: string;
}

export interface CreateOrgRequest {
  parentId: number;
  kind: OrgKind;
  name: string;
  divisionCode?: string;
}

export interface User {
  id: number;
  username: string;
  displayName: string;
  orgId: number;
  orgName: string;
  roles: RoleKey[];
  disabled: boolean;
  phone: string | null;
  email: string | null;
  createdAt: string;
}

export interface UserList {
  items: User[];
  total: number;
}

export interface CreateUserRequest {
  username: string;
  displayName: string;
  password: string;
  orgId: number;
  roles: RoleKey[];
  phone?: string;
  email?: string;
}

export interface UpdateUserRequest {
  displayName?: string;
  orgId?: number;
  roles?: RoleKey[];
  disabled?: boolean;
  phone?: string | null;
  email?: string | null;
}

export interface RoleInfo {
  key: RoleKey;
  permissions: string[];
}

export interface Division {
  code: string;
  name: string;
  level: 'province' | 'city' | 'county';
  parentCode: string | null;
}
