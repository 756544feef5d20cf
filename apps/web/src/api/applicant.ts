import { createApiClient, type ApiRequest } from './client.ts';

/**
 * The applicant's side of the API (/api/v1/public/applicant/*, docs/matters.md §Applicants):
 * its own session cookie (`guotu_applicant`) and its own CSRF token, kept apart from the staff
 * console's (api/client.ts) so that a clerk signed in to the console and an applicant signed in
 * to the portal never send each other's token, and an applicant's 401 never signs staff out.
 */

export type ApplicantKind = 'enterprise' | 'government' | 'citizen';
export const applicantKinds: readonly ApplicantKind[] = ['enterprise', 'government', 'citizen'];

export interface Applicant {
  id: number;
  phone: string;
  kind: ApplicantKind | null;
  name: string | null;
  creditCode: string | null;
  idNumber: string | null;
  contactName: string | null;
  email: string | null;
  profileComplete: boolean;
}

export interface ApplicantSession {
  applicant: Applicant;
  csrfToken: string;
}

export interface ProfileInput {
  kind: ApplicantKind;
  name: string;
  creditCode?: string | null;
  idNumber?: string | null;
  contactName?: string | null;
  email?: string | null;
}

export interface CodeSent {
  expiresInSeconds: number;
  resendAfterSeconds: number;
}

// The applicant's session: the CSRF token comes from `login` and `me`; the applicant provider
// listens so that a 401 from any applicant call signs the portal out.
const applicant = createApiClient();
/**
 * Calls `/api/v1<path>` as the applicant (cookie + applicant CSRF token on changes) and returns
 * the parsed JSON (undefined for 204). Public endpoints (progress, verify) use it too: they
 * ignore the cookie.
 */
export const applicantApi: ApiRequest = applicant.request;
export const setApplicantCsrfToken = applicant.setCsrfToken;
/** The applicant provider listens: a 401 from any applicant call means the session is gone. */
export const onApplicantExpired = applicant.onUnauthenticated;

const base = '/public/applicant';

export const sendLoginCode = (phone: string) =>
  applicantApi<CodeSent>(`${base}/code`, { method: 'POST', body: { phone } });

export const loginWithCode = (phone: string, code: string) =>
  applicantApi<ApplicantSession>(`${base}/login`, { method: 'POST', body: { phone, code } });

export const getApplicantSession = (signal?: AbortSignal) =>
  applicantApi<ApplicantSession>(`${base}/me`, { signal, quietUnauthenticated: true });

export const updateProfile = (profile: ProfileInput) =>
  applicantApi<Applicant>(`${base}/me`, { method: 'PUT', body: profile });

export const logoutApplicant = () => applicantApi<undefined>(`${base}/logout`, { method: 'POST' });

/** A mainland mobile number, as the server checks it (the server remains the judge). */
export const mobilePattern = /^1[3-9][0-9]{9}$/;
