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

// The CSRF token belongs to the session: set from GET /auth/session and POST /auth/login,
// sent back on every state-changing request. Kept here so every caller gets it for free.
let csrfToken: string | undefined;
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

// The session provider listens so that a 401 anywhere returns the user to the login page.
type Listener = () => void;
const unauthenticatedListeners = new Set<Listener>();
export function onUnauthenticated(listener: Listener): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
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

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
  /** GET /auth/session answers 401 when signed out; that is not an expiry to broadcast. */
  quietUnauthenticated?: boolean;
}

/** Calls `/api/v1<path>` and returns the parsed JSON (undefined for 204). */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
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
