import { Alert, Button } from 'antd';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { errorText } from '../lib/error-text.ts';

export function ErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  return (
    <Alert
      type="error"
      showIcon
      message={errorText(error, t)}
      action={
        onRetry ? (
          <Button size="small" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        ) : undefined
      }
    />
  );
}
