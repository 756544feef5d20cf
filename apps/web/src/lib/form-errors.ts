import type { FormInstance } from 'antd';
import { fieldOfDetail, type ApiError } from '../api/client.ts';
import type { Translate } from '../i18n/types.ts';

/**
 * Puts the server's validation details on the matching form fields (`body.username` →
 * `username`). Returns the details that matched no field, so the caller can show them
 * elsewhere. A "required property 'x'" message on the body itself also goes to field x.
 */
export function applyServerErrors(form: FormInstance, error: ApiError, fields: readonly string[], t: Translate): string[] {
  const byField = new Map<string, string[]>();
  const unmatched: string[] = [];
  for (const detail of error.details) {
    const named = fieldOfDetail(detail) ?? /required property '(\w+)'/.exec(detail.message)?.[1];
    if (named && fields.includes(named)) {
      byField.set(named, [...(byField.get(named) ?? []), detail.message]);
    } else {
      unmatched.push(detail.message);
    }
  }
  // 409 CONFLICT on create user is a duplicate username even without a detail path
  if (error.code === 'CONFLICT' && byField.size === 0 && fields.includes('username')) {
    byField.set('username', [t('error.CONFLICT')]);
  }
  form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
  return unmatched;
}
