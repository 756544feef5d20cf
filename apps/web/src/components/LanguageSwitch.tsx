import { Segmented } from 'antd';
import { useI18n } from '../i18n/I18nProvider.tsx';
import type { Locale } from '../i18n/types.ts';

// Language names are written in their own language, as is usual for a language picker.
const options: { value: Locale; label: string }[] = [
  { value: 'zh-CN', label: '中文' },
  { value: 'en-US', label: 'EN' },
];

export function LanguageSwitch({ size = 'middle' }: { size?: 'small' | 'middle' }) {
  const { locale, setLocale, t } = useI18n();
  return (
    <Segmented<Locale>
      aria-label={t('common.language')}
      data-testid="language-switch"
      size={size}
      value={locale}
      options={options}
      onChange={setLocale}
    />
  );
}
