import { casePath, type CaseDetail } from '../../api/cases.ts';
import { useQuery, type QueryState } from '../../hooks/useQuery.ts';

/** The case's state; `replace` takes the case a change answers with, without another GET. */
export type CaseState = QueryState<CaseDetail>;

/** GET /cases/{id}, kept in state; the actions hand back the updated case. */
export function useCase(id: number): CaseState {
  return useQuery<CaseDetail>(casePath(id));
}
