import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { zhCN } from './zh-CN.ts';
import { enUS } from './en-US.ts';
import type { Locale, MessageKey, Messages, Translate } from './types.ts';

const dictionaries: Record<Locale, Messages> = { 'zh-CN': zhCN, 'en-US': enUS };
const storageKey = 'guotu.locale';

function readStoredLocale(): Locale {
  try {
    const stored = window.localStorage.getItem(storageKey);
    return stored === 'en-US' ? 'en-US' : 'zh-CN';
  } catch {
    // storage blocked (private mode, policy): fall back to the default language
    return 'zh-CN';
  }
}

export function format(template: string, params?: Record<string, string | number>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

interface I18nValue {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: Translate;
}

const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(readStoredLocale);

  const setLocale = useCallback((next: Locale) => {
    setLocaleState(next);
    try {
      window.localStorage.setItem(storageKey, next);
    } catch {
      // not persisted; the choice still holds for this page
    }
  }, []);

  const t = useCallback<Translate>((key: MessageKey, params) => format(dictionaries[locale][key], params), [locale]);

  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = `${dictionaries[locale]['app.name']} · ${dictionaries[locale]['app.fullName']}`;
  }, [locale]);

  const value = useMemo(() => ({ locale, setLocale, t }), [locale, setLocale, t]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new RangeError('useI18n outside <I18nProvider>');
  return value;
}
