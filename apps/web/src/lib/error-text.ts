import { ApiError } from '../api/client.ts';
import type { Translate } from '../i18n/types.ts';

/** The user-facing sentence for an error: the translated code, plus the request id to quote. */
export function errorText(error: unknown, t: Translate): string {
  if (!(error instanceof ApiError)) return t('error.INTERNAL');
  const text = t(`error.${error.code}`);
  return error.requestId ? `${text} · ${t('error.requestId', { id: error.requestId })}` : text;
}
