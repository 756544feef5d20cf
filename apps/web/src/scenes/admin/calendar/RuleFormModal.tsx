import { useState } from 'react';
import { App, Form, Input, InputNumber, Modal, Typography } from 'antd';
import { ApiError } from '../../../api/client.ts';
import { updateTimeLimitRule, type TimeLimitRule } from '../../../api/calendar.ts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { errorText } from '../../../lib/error-text.ts';
import { applyServerErrors } from '../../../lib/form-errors.ts';

interface Values {
  limit: number;
  extension: number | null;
  notes?: string;
}

const fields = ['limit', 'extension', 'notes'];

/** Change a rule's limit, extension or notes; running clocks keep the limit they started with. */
export function RuleFormModal({
  rule,
  onClose,
  onSaved,
}: {
  rule: TimeLimitRule;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const unit = t(`clockUnit.${rule.unit}`);

  async function submit(values: Values) {
    setSaving(true);
    try {
      const notes = values.notes?.trim();
      await updateTimeLimitRule(rule.key, {
        limit: values.limit,
        extension: values.extension ?? null,
        notes: notes ? notes : null,
      });
      void message.success(t('rules.saved', { name: rule.name }));
      onSaved();
    } catch (error) {
      const rest = error instanceof ApiError ? applyServerErrors(form, error, { fields, t }) : [];
      void message.error([errorText(error, t), ...rest].join(' '));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open
      title={t('rules.editTitle', { name: rule.name })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      data-testid="rule-form-modal"
    >
      <Typography.Paragraph type="secondary">
        {rule.source.law} {rule.source.article}
      </Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ limit: rule.limit, extension: rule.extension, notes: rule.notes }}
        onFinish={(values) => void submit(values)}
      >
        <Form.Item name="limit" label={t('rules.limit')} rules={[{ required: true, message: t('common.required') }]}>
          <InputNumber min={1} max={3650} precision={0} addonAfter={unit} />
        </Form.Item>
        <Form.Item name="extension" label={t('rules.extension')} extra={t('rules.extensionHint')}>
          <InputNumber min={1} max={3650} precision={0} addonAfter={unit} />
        </Form.Item>
        <Form.Item name="notes" label={t('rules.notes')}>
          <Input.TextArea rows={4} maxLength={2000} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
