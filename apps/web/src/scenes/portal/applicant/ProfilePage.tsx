import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Form, Input, Radio, Typography } from 'antd';
import { ApiError, fieldOfDetail } from '../../../api/client.ts';
import { applicantKinds, type ApplicantKind, type ProfileInput } from '../../../api/applicant.ts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import type { MessageKey } from '../../../i18n/types.ts';
import { errorText } from '../../../lib/error-text.ts';
import { useApplicant } from './applicant-context.ts';
import { safeNext } from './RequireApplicant.tsx';

interface Values {
  kind: ApplicantKind;
  name: string;
  creditCode?: string;
  idNumber?: string;
  contactName?: string;
  email?: string;
}

/** The server's field errors in the user's language: the server checks the check digits. */
const invalidText: Record<string, MessageKey> = {
  creditCode: 'pc.profile.creditCodeInvalid',
  idNumber: 'pc.profile.idNumberInvalid',
  email: 'pc.profile.emailInvalid',
  name: 'pc.profile.nameRequired',
  kind: 'pc.profile.kindRequired',
};

/** 完善申请人信息: kind, name, 统一社会信用代码 or 身份证号 (check digits verified by the server), contact. */
export default function ProfilePage() {
  const { t } = useI18n();
  const { state, saveProfile } = useApplicant();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = params.get('next');
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  if (state.status !== 'signedIn') return null;
  const { applicant } = state;

  const onFinish = async (values: Values) => {
    setError(null);
    setSaved(false);
    setSaving(true);
    const profile: ProfileInput = {
      kind: values.kind,
      name: values.name.trim(),
      creditCode: values.kind === 'citizen' ? null : values.creditCode?.trim() || null,
      idNumber: values.kind === 'citizen' ? values.idNumber?.trim() || null : null,
      contactName: values.contactName?.trim() || null,
      email: values.email?.trim() || null,
    };
    try {
      await saveProfile(profile);
      setSaving(false);
      if (next) void navigate(safeNext(next), { replace: true });
      else setSaved(true);
    } catch (cause) {
      setSaving(false);
      if (cause instanceof ApiError && cause.code === 'VALIDATION_FAILED' && cause.details.length > 0) {
        const unmatched: string[] = [];
        const fields = new Map<string, string[]>();
        for (const detail of cause.details) {
          const field = fieldOfDetail(detail);
          const key = field ? invalidText[field] : undefined;
          if (field && key) fields.set(field, [...(fields.get(field) ?? []), t(key)]);
          else unmatched.push(detail.message);
        }
        form.setFields([...fields].map(([name, errors]) => ({ name: name as keyof Values, errors })));
        if (unmatched.length > 0) setError(unmatched.join('；'));
      } else setError(errorText(cause, t));
    }
  };

  return (
    <Card className="guotu-portal-narrow" title={t('pc.profile.title')}>
      {!applicant.profileComplete && (
        <Typography.Paragraph type="secondary">{t('pc.profile.intro')}</Typography.Paragraph>
      )}
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={(v) => void onFinish(v)}
        initialValues={{
          kind: applicant.kind ?? 'enterprise',
          name: applicant.name ?? '',
          creditCode: applicant.creditCode ?? '',
          idNumber: applicant.idNumber ?? '',
          contactName: applicant.contactName ?? '',
          email: applicant.email ?? '',
        }}
      >
        <Form.Item label={t('pc.profile.phone')}>
          <Typography.Text>{applicant.phone}</Typography.Text>
        </Form.Item>
        <Form.Item
          name="kind"
          label={t('pc.profile.kind')}
          rules={[{ required: true, message: t('pc.profile.kindRequired') }]}
        >
          <Radio.Group optionType="button" buttonStyle="solid" data-testid="profile-kind">
            {applicantKinds.map((k) => (
              <Radio.Button key={k} value={k}>
                {t(`pc.kind.${k}`)}
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
        <Form.Item
          name="name"
          label={kind === 'citizen' ? t('pc.profile.personName') : t('pc.profile.orgName')}
          rules={[{ required: true, whitespace: true, message: t('pc.profile.nameRequired') }]}
        >
          <Input maxLength={200} data-testid="profile-name" />
        </Form.Item>
        {kind === 'citizen' ? (
          <Form.Item
            name="idNumber"
            label={t('pc.profile.idNumber')}
            extra={t('pc.profile.idNumberHint')}
            rules={[{ required: true, whitespace: true, message: t('pc.profile.idNumberRequired') }]}
          >
            <Input maxLength={18} autoComplete="off" data-testid="profile-id-number" />
          </Form.Item>
        ) : (
          <Form.Item
            name="creditCode"
            label={t('pc.profile.creditCode')}
            extra={t('pc.profile.creditCodeHint')}
            rules={[{ required: true, whitespace: true, message: t('pc.profile.creditCodeRequired') }]}
          >
            <Input maxLength={18} autoComplete="off" data-testid="profile-credit-code" />
          </Form.Item>
        )}
        <Form.Item name="contactName" label={t('pc.profile.contactName')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="email" label={t('pc.profile.email')}>
          <Input maxLength={200} type="email" autoComplete="email" />
        </Form.Item>
        {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={error} />}
        {saved && <Alert type="success" showIcon style={{ marginBottom: 16 }} message={t('pc.profile.saved')} />}
        <Button type="primary" htmlType="submit" block loading={saving} data-testid="profile-save">
          {t('pc.profile.save')}
        </Button>
      </Form>
    </Card>
  );
}
