import { Button, Result } from 'antd';
import { Link } from 'react-router-dom';
import { useI18n } from '../i18n/I18nProvider.tsx';

export function Forbidden() {
  const { t } = useI18n();
  return <Result status="403" title={t('common.forbidden')} subTitle={t('common.forbiddenHint')} />;
}

export function NotFound({ home }: { home: string }) {
  const { t } = useI18n();
  return (
    <Result
      status="404"
      title={t('common.notFound')}
      extra={
        <Link to={home}>
          <Button type="primary">{t('common.backHome')}</Button>
        </Link>
      }
    />
  );
}
