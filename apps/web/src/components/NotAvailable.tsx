import { Result } from 'antd';
import { ToolOutlined } from '@ant-design/icons';
import { useI18n } from '../i18n/I18nProvider.tsx';
import type { MessageKey } from '../i18n/types.ts';

/** An honest placeholder for a module that is not built yet: no sample data, ever. */
export function NotAvailable({ titleKey }: { titleKey?: MessageKey }) {
  const { t } = useI18n();
  return (
    <Result
      icon={<ToolOutlined />}
      status="info"
      title={titleKey ? `${t(titleKey)} · ${t('common.notAvailable')}` : t('common.notAvailable')}
      subTitle={t('common.notAvailableHint')}
    />
  );
}
