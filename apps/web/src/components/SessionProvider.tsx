import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { LoginRequest, SessionResponse } from '@guotu/contracts';
import { ApiError, onUnauthenticated, setCsrfToken } from '../api/client.ts';
import * as endpoints from '../api/endpoints.ts';
import { SessionContext, type SessionState, type SessionValue } from '../hooks/useSession.ts';

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const accept = useCallback((session: SessionResponse) => {
    setCsrfToken(session.csrfToken);
    setState({ status: 'authenticated', user: session.user });
  }, []);

  const signOutLocally = useCallback(() => {
    setCsrfToken(undefined);
    setState({ status: 'anonymous' });
  }, []);

  const expire = useCallback(() => {
    setCsrfToken(undefined);
    setState((previous) => (previous.status === 'authenticated' ? { status: 'anonymous', expired: true } : previous));
  }, []);

  const refresh = useCallback(async () => {
    try {
      accept(await endpoints.getSession());
    } catch (error) {
      if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') signOutLocally();
      else throw error;
    }
  }, [accept, signOutLocally]);

  useEffect(() => {
    const controller = new AbortController();
    endpoints
      .getSession(controller.signal)
      .then(accept)
      .catch(() => {
        // 401 means signed out; any other failure also shows the login page, whose own
        // request will then report what is wrong (server down, …)
        if (!controller.signal.aborted) signOutLocally();
      });
    return () => controller.abort();
  }, [accept, signOutLocally]);

  useEffect(() => onUnauthenticated(expire), [expire]);

  const login = useCallback(
    async (request: LoginRequest) => {
      const session = await endpoints.login(request);
      accept(session);
      return session.user;
    },
    [accept],
  );

  const logout = useCallback(async () => {
    try {
      await endpoints.logout();
    } finally {
      signOutLocally();
    }
  }, [signOutLocally]);

  const value = useMemo<SessionValue>(() => ({ state, login, logout, refresh }), [state, login, logout, refresh]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
