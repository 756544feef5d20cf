import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from '../../api/client.ts';
import { casePath, type CaseDetail } from '../../api/cases.ts';

export interface CaseState {
  data: CaseDetail | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
  /** every change answers with the case as it now is: take it without another GET */
  replace: (detail: CaseDetail) => void;
}

/** GET /cases/{id}, kept in state; the actions hand back the updated case. */
export function useCase(id: number): CaseState {
  const [data, setData] = useState<CaseDetail | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(undefined);
    api<CaseDetail>(casePath(id), { signal: controller.signal })
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
  }, [id, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const replace = useCallback((detail: CaseDetail) => setData(detail), []);
  return { data, error, loading, reload, replace };
}
