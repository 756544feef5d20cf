import type { ErrorResponse } from '@guotu/contracts';
import { appErrorCodes } from '@guotu/domain';
import { ApiError } from './client.ts';

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

let applicantCsrf: string | undefined;
export function setApplicantCsrfToken(token: string | undefined): void {
  applicantCsrf = token;
}

type Listener = () => void;
const expiredListeners = new Set<Listener>();
/** The applicant provider listens: a 401 from any applicant call means the session is gone. */
export function onApplicantExpired(listener: Listener): () => void {
  expiredListeners.add(listener);
  return () => expiredListeners.delete(listener);
}

function isErrorResponse(value: unknown): value is ErrorResponse {
  if (typeof value !== 'object' || value === null) return false;
  const code = (value as { code?: unknown }).code;
  return typeof code === 'string' && (appErrorCodes as readonly string[]).includes(code);
}

interface Options {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** JSON body, or FormData for a multipart upload */
  body?: unknown;
  signal?: AbortSignal;
  /** GET /me answers 401 when nobody is signed in: not an expiry to broadcast */
  quiet?: boolean;
}

/**
 * Calls `/api/v1<path>` as the applicant (cookie + applicant CSRF token on changes) and returns
 * the parsed JSON (undefined for 204). Public endpoints (progress, verify) use it too: they
 * ignore the cookie.
 */
export async function applicantApi<T>(path: string, options: Options = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) body = options.body;
  else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (method !== 'GET' && applicantCsrf) headers['x-csrf-token'] = applicantCsrf;

  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, undefined, cause instanceof Error ? cause.message : 'network error');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined; // not our API (proxy page): an untyped error below
    }
  }
  if (response.ok) return parsed as T;
  const error = new ApiError(response.status, isErrorResponse(parsed) ? parsed : undefined, response.statusText);
  if (error.code === 'UNAUTHENTICATED' && !options.quiet) for (const listener of expiredListeners) listener();
  throw error;
}

const base = '/public/applicant';

export const sendLoginCode = (phone: string) =>
  applicantApi<CodeSent>(`${base}/code`, { method: 'POST', body: { phone } });

export const loginWithCode = (phone: string, code: string) =>
  applicantApi<ApplicantSession>(`${base}/login`, { method: 'POST', body: { phone, code } });

export const getApplicantSession = (signal?: AbortSignal) =>
  applicantApi<ApplicantSession>(`${base}/me`, { signal, quiet: true });

export const updateProfile = (profile: ProfileInput) =>
  applicantApi<Applicant>(`${base}/me`, { method: 'PUT', body: profile });

export const logoutApplicant = () => applicantApi<undefined>(`${base}/logout`, { method: 'POST' });

/** A mainland mobile number, as the server checks it (the server remains the judge). */
export const mobilePattern = /^1[3-9][0-9]{9}$/;
