import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { FullPageSpin } from '../../../components/RequireAuth.tsx';
import { useApplicant } from './applicant-context.ts';

/**
 * Signed-in applicants only; others go to the sign-in page and come back afterwards. An
 * incomplete profile goes to the profile page first (a case needs the applicant's name and
 * identifier), unless `allowIncomplete`.
 */
export function RequireApplicant({ children, allowIncomplete }: { children: ReactNode; allowIncomplete?: boolean }) {
  const { state } = useApplicant();
  const location = useLocation();
  const here = `${location.pathname}${location.search}`;
  if (state.status === 'loading') return <FullPageSpin />;
  if (state.status === 'anonymous') return <Navigate to={`/portal/signin?next=${encodeURIComponent(here)}`} replace />;
  if (!state.applicant.profileComplete && !allowIncomplete)
    return <Navigate to={`/portal/profile?next=${encodeURIComponent(here)}`} replace />;
  return children;
}

/** Only same-site portal paths are followed after sign-in (no open redirect). */
export function safeNext(next: string | null, fallback = '/portal/cases'): string {
  return next && next.startsWith('/portal/') && !next.startsWith('//') ? next : fallback;
}
