import type { ReactElement } from 'react';
import { Link } from 'react-router-dom';
import { Result, Skeleton } from 'antd';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { useQuery } from '../../../hooks/useQuery.ts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import type { Guide } from './api.ts';

/**
 * The published guide of a matter (GET /public/matters/{code}), or what to show instead: a
 * skeleton while it loads, "not found" with a link back to the guides, or the error with retry.
 */
export function useGuide(
  code: string,
): { guide: Guide; fallback: undefined } | { guide: undefined; fallback: ReactElement } {
  const { t } = useI18n();
  const { data: guide, error, loading, reload } = useQuery<Guide>(`/public/matters/${encodeURIComponent(code)}`);
  if (loading && !guide) return { guide: undefined, fallback: <Skeleton active /> };
  if (error?.code === 'NOT_FOUND')
    return {
      guide: undefined,
      fallback: (
        <Result
          status="404"
          title={t('common.notFound')}
          extra={<Link to="/portal/guides">{t('guides.backToList')}</Link>}
        />
      ),
    };
  if (error || !guide) return { guide: undefined, fallback: <ErrorAlert error={error} onRetry={reload} /> };
  return { guide, fallback: undefined };
}
