import { useState } from 'react';
import { App, Form, Input, Modal } from 'antd';
import { ApiError } from '../api/client.ts';
import { changePassword } from '../api/endpoints.ts';
import { useSession } from '../hooks/useSession.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { errorText } from '../lib/error-text.ts';
import { applyServerErrors, passwordPolicyRule } from '../lib/form-errors.ts';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

export function ChangePasswordModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { refresh } = useSession();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);

  async function submit(values: Values) {
    setSaving(true);
    try {
      await changePassword({ currentPassword: values.currentPassword, newPassword: values.newPassword });
      void message.success(t('password.changed'));
      onClose();
      await refresh();
    } catch (error) {
      // the only way the current password fails is being wrong; say so in the user's language
      const wrongCurrent =
        error instanceof ApiError &&
        (error.code === 'INVALID_CREDENTIALS' ||
          error.details.some((detail) => detail.path === 'body.currentPassword'));
      if (wrongCurrent) {
        form.setFields([{ name: 'currentPassword', errors: [t('password.currentWrong')] }]);
      } else if (error instanceof ApiError && error.details.length > 0) {
        const rest = applyServerErrors(form, error, { fields: ['currentPassword', 'newPassword'], t });
        if (rest.length > 0) void message.error(rest.join('; '));
      } else {
        void message.error(errorText(error, t));
      }
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open={open}
      title={t('password.title')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false} onFinish={(values) => void submit(values)}>
        <Form.Item
          name="currentPassword"
          label={t('password.current')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('password.new')}
          rules={[{ required: true, message: t('common.required') }, passwordPolicyRule(t)]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('password.confirm')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('common.required') },
            ({ getFieldValue }) => ({
              validator: (_rule, value) =>
                !value || getFieldValue('newPassword') === value
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('password.mismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
