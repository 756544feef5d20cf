import { createContext, useContext } from 'react';
import type { Applicant, ProfileInput } from '../../../api/applicant.ts';

export type ApplicantState =
  | { status: 'loading' }
  /** expired: a call answered 401 while signed in (the session ran out or was ended elsewhere) */
  | { status: 'anonymous'; expired?: boolean }
  | { status: 'signedIn'; applicant: Applicant };

export interface ApplicantValue {
  state: ApplicantState;
  /** throws ApiError (INVALID_CREDENTIALS for a wrong or used-up code, RATE_LIMITED …) */
  login: (phone: string, code: string) => Promise<Applicant>;
  logout: () => Promise<void>;
  saveProfile: (profile: ProfileInput) => Promise<Applicant>;
}

export const ApplicantContext = createContext<ApplicantValue | null>(null);

export function useApplicant(): ApplicantValue {
  const value = useContext(ApplicantContext);
  if (!value) throw new RangeError('useApplicant outside <ApplicantProvider>');
  return value;
}
