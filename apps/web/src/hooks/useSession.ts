import { createContext, useContext } from 'react';
import type { LoginRequest, SessionUser } from '@guotu/contracts';
import type { Permission } from '@guotu/domain';

export type SessionState =
  | { status: 'loading' }
  /** expired: the server answered 401 to a signed-in user (session timed out or revoked) */
  | { status: 'anonymous'; expired?: boolean }
  | { status: 'authenticated'; user: SessionUser };

export interface SessionValue {
  state: SessionState;
  /** throws ApiError (INVALID_CREDENTIALS, ACCOUNT_LOCKED, RATE_LIMITED …) */
  login: (request: LoginRequest) => Promise<SessionUser>;
  logout: () => Promise<void>;
  /** re-read GET /auth/session (after a password change, say) */
  refresh: () => Promise<void>;
}

export const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new RangeError('useSession outside <SessionProvider>');
  return value;
}

/** The signed-in user; only for components rendered behind <RequireAuth>. */
export function useUser(): SessionUser {
  const { state } = useSession();
  if (state.status !== 'authenticated') throw new RangeError('useUser without a signed-in user');
  return state.user;
}

/**
 * Whether the signed-in user holds a permission. The list comes from the server with the
 * session; the UI never derives it from roles.
 */
export function useCan(): (permission: Permission) => boolean {
  const { state } = useSession();
  const held = state.status === 'authenticated' ? state.user.permissions : [];
  return (permission) => held.includes(permission);
}
