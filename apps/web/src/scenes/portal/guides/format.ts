import type { MessageKey } from '../../../i18n/types.ts';
import type { GuideLimit } from './api.ts';

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

/** "15 个工作日" — the unit named as the rule table names it. */
export function limitText(t: T, limit: Pick<GuideLimit, 'limit' | 'unit'>): string {
  return t(`guides.unit.${limit.unit}`, { n: limit.limit });
}

const formatKeys: Partial<Record<string, MessageKey>> = {
  coordinates: 'guides.format.coordinates',
  text: 'guides.format.text',
};
export function formatText(t: T, format: string): string {
  const key = formatKeys[format];
  return key ? t(key) : format.toUpperCase();
}
