import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, type ApiRequest } from '../api/client.ts';

export interface QueryState<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
  /** take an answer the caller already has (a change that answers with the new state) without another GET */
  replace: (data: T) => void;
}

/**
 * GET `/api/v1<path>` and keep the answer; a new path refetches, `reload()` refetches the
 * same one. A null path fetches nothing. Stale answers of an earlier path are dropped.
 * `request` is the session's client: the staff console's `api` unless told (the portal passes
 * `applicantApi`); it must be a stable function (module level), not one made per render.
 */
export function useQuery<T>(path: string | null, request: ApiRequest = api): QueryState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [loading, setLoading] = useState(path !== null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    setLoading(true);
    setError(undefined);
    request<T>(path, { signal: controller.signal })
      .then((answer) => {
        setData(answer);
        setLoading(false);
      })
      .catch((cause: unknown) => {
        if (controller.signal.aborted) return;
        setError(cause instanceof ApiError ? cause : new ApiError(0, undefined, String(cause)));
        setLoading(false);
      });
    return () => controller.abort();
  }, [path, version, request]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const replace = useCallback((answer: T) => setData(answer), []);
  return { data, error, loading, reload, replace };
}
