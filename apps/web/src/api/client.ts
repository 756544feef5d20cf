import { appErrorCodes, type AppErrorCode, type AppErrorDetail } from '@guotu/domain';
import type { ErrorResponse } from '@guotu/contracts';

/** An error answer of the API, or a network failure (status 0), typed by its code. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: AppErrorCode;
  readonly details: readonly AppErrorDetail[];
  readonly requestId: string | undefined;

  constructor(status: number, body: ErrorResponse | undefined, fallback: string) {
    super(body?.message ?? fallback);
    this.name = 'ApiError';
    this.status = status;
    this.code = body?.code ?? codeForStatus(status);
    this.details = body?.details ?? [];
    this.requestId = body?.requestId;
  }
}

function codeForStatus(status: number): AppErrorCode {
  if (status === 0 || status === 502 || status === 503 || status === 504) return 'DEPENDENCY_UNAVAILABLE';
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 429) return 'RATE_LIMITED';
  return 'INTERNAL';
}

function isErrorResponse(value: unknown): value is ErrorResponse {
  if (typeof value !== 'object' || value === null) return false;
  const code = (value as { code?: unknown }).code;
  return typeof code === 'string' && (appErrorCodes as readonly string[]).includes(code);
}

export type QueryValue = string | number | boolean | undefined | null;

export function withQuery(path: string, query: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** JSON body, or FormData for a multipart upload */
  body?: unknown;
  signal?: AbortSignal;
  /** GET /auth/session (or the applicant's /me) answers 401 when signed out: not an expiry to broadcast. */
  quietUnauthenticated?: boolean;
}

/** Calls `/api/v1<path>` and returns the parsed JSON (undefined for 204). */
export type ApiRequest = <T>(path: string, options?: RequestOptions) => Promise<T>;

type Listener = () => void;

/** A fetch client bound to one session: the cookie the browser sends, plus its CSRF token and its 401 listeners. */
export interface ApiClient {
  request: ApiRequest;
  /** The CSRF token of this session (from its login and session answers), sent on every state change. */
  setCsrfToken: (token: string | undefined) => void;
  /** Called on a 401 from any call of this client (not the quiet ones): the session is gone. */
  onUnauthenticated: (listener: Listener) => () => void;
}

/**
 * A client with its own CSRF token and its own 401 listeners. The staff console and the
 * applicant portal each have one (`api` here, `applicantApi` in api/applicant.ts), so that a
 * clerk and an applicant signed in in the same browser never send each other's token, and an
 * applicant's 401 never signs staff out (or the reverse).
 */
export function createApiClient(): ApiClient {
  let csrfToken: string | undefined;
  const unauthenticatedListeners = new Set<Listener>();

  async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const method = options.method ?? 'GET';
    const headers: Record<string, string> = { accept: 'application/json' };
    let body: BodyInit | undefined;
    if (options.body instanceof FormData) body = options.body;
    else if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;

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
        // a proxy or crash page, not our API: handled below as an untyped error
        parsed = undefined;
      }
    }
    if (response.ok) return parsed as T;

    const error = new ApiError(response.status, isErrorResponse(parsed) ? parsed : undefined, response.statusText);
    if (error.code === 'UNAUTHENTICATED' && !options.quietUnauthenticated) {
      for (const listener of unauthenticatedListeners) listener();
    }
    throw error;
  }

  return {
    request,
    setCsrfToken: (token) => {
      csrfToken = token;
    },
    onUnauthenticated: (listener) => {
      unauthenticatedListeners.add(listener);
      return () => unauthenticatedListeners.delete(listener);
    },
  };
}

// The staff console's session: the CSRF token comes from GET /auth/session and POST /auth/login;
// the session provider listens so that a 401 anywhere returns the user to the login page.
const staff = createApiClient();
/** Calls `/api/v1<path>` as the signed-in staff user and returns the parsed JSON (undefined for 204). */
export const api: ApiRequest = staff.request;
export const setCsrfToken = staff.setCsrfToken;
export const onUnauthenticated = staff.onUnauthenticated;

/** `body.username` → `username`; `body.roles.0` → `roles`. Undefined when not a body field. */
export function fieldOfDetail(detail: AppErrorDetail): string | undefined {
  const path = detail.path;
  if (!path) return undefined;
  const parts = path
    .replace(/^\//, '')
    .split(/[./[\]]+/)
    .filter(Boolean);
  const field = parts[0] === 'body' ? parts[1] : parts[0];
  return field && !/^\d+$/.test(field) ? field : undefined;
}
