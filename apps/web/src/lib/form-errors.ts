import type { FormInstance, FormRule } from 'antd';
import { fieldOfDetail, type ApiError } from '../api/client.ts';
import type { MessageKey, Translate } from '../i18n/types.ts';

/**
 * Puts the server's validation details on the matching form fields (`body.username` →
 * `username`). Returns the details that matched no field, so the caller can show them
 * elsewhere. A "required property 'x'" message on the body itself also goes to field x.
 */
export function applyServerErrors(
  form: FormInstance,
  error: ApiError,
  options: { fields: readonly string[]; t: Translate; conflict?: MessageKey },
): string[] {
  const { fields, t } = options;
  const conflictText = t(options.conflict ?? 'error.CONFLICT');
  const byField = new Map<string, string[]>();
  const unmatched: string[] = [];
  for (const detail of error.details) {
    const named = fieldOfDetail(detail) ?? /required property '(\w+)'/.exec(detail.message)?.[1];
    if (named && fields.includes(named)) {
      // a conflict's detail ("already taken") reads better as the localised sentence
      const text = error.code === 'CONFLICT' ? conflictText : detail.message;
      byField.set(named, [...(byField.get(named) ?? []), text]);
    } else {
      unmatched.push(detail.message);
    }
  }
  // 409 CONFLICT on create user is a duplicate username even without a detail path
  if (error.code === 'CONFLICT' && byField.size === 0 && fields.includes('username')) {
    byField.set('username', [conflictText]);
  }
  form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
  return unmatched;
}

/**
 * A hint that mirrors the server's password policy (8+ characters, letters and digits) so
 * the user learns it before submitting; the server remains the judge.
 */
export function passwordPolicyRule(t: Translate): FormRule {
  return {
    validator: (_rule, value: unknown) =>
      typeof value !== 'string' || value === '' || (value.length >= 8 && /[A-Za-z]/.test(value) && /\d/.test(value))
        ? Promise.resolve()
        : Promise.reject(new Error(t('password.policy'))),
  };
}
