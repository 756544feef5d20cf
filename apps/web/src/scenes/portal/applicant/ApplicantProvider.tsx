import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import {
  getApplicantSession,
  loginWithCode,
  logoutApplicant,
  onApplicantExpired,
  setApplicantCsrfToken,
  updateProfile,
  type ApplicantSession,
  type ProfileInput,
} from '../../../api/applicant.ts';
import { ApplicantContext, type ApplicantState, type ApplicantValue } from './applicant-context.ts';

/** The portal's applicant session (phone + SMS code), apart from the staff session. */
export function ApplicantProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<ApplicantState>({ status: 'loading' });

  const accept = useCallback((session: ApplicantSession) => {
    setApplicantCsrfToken(session.csrfToken);
    setState({ status: 'signedIn', applicant: session.applicant });
    return session.applicant;
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    getApplicantSession(controller.signal)
      .then(accept)
      .catch(() => {
        // 401: nobody signed in; any other failure shows the sign-in page, whose own call reports it
        if (!controller.signal.aborted) setState({ status: 'anonymous' });
      });
    return () => controller.abort();
  }, [accept]);

  useEffect(
    () =>
      onApplicantExpired(() => {
        setApplicantCsrfToken(undefined);
        setState((previous) => (previous.status === 'signedIn' ? { status: 'anonymous', expired: true } : previous));
      }),
    [],
  );

  const login = useCallback(async (phone: string, code: string) => accept(await loginWithCode(phone, code)), [accept]);

  const logout = useCallback(async () => {
    try {
      await logoutApplicant();
    } finally {
      setApplicantCsrfToken(undefined);
      setState({ status: 'anonymous' });
    }
  }, []);

  const saveProfile = useCallback(async (profile: ProfileInput) => {
    const applicant = await updateProfile(profile);
    setState({ status: 'signedIn', applicant });
    return applicant;
  }, []);

  const value = useMemo<ApplicantValue>(
    () => ({ state, login, logout, saveProfile }),
    [state, login, logout, saveProfile],
  );
  return <ApplicantContext.Provider value={value}>{children}</ApplicantContext.Provider>;
}
