import type { OrgKind, Permission, RoleKey } from '@guotu/domain';

/** The signed-in staff user as the API presents it. `permissions` are the abilities the UI uses. */
export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  orgId: number;
  orgName: string;
  orgKind: OrgKind;
  roles: RoleKey[];
  permissions: Permission[];
  mustChangePassword: boolean;
}

/**
 * GET /api/v1/auth/session and POST /api/v1/auth/login answer this. Every state-changing
 * request must send `csrfToken` back in the `x-csrf-token` header (cookie `guotu_session`
 * is httpOnly; SameSite=Lax; Secure behind TLS).
 */
export interface SessionResponse {
  user: SessionUser;
  csrfToken: string;
}

export interface LoginRequest {
  username: string;
  password: string;
}

export interface ChangePasswordRequest {
  currentPassword: string;
  newPassword: string;
}
