import { useState } from 'react';
import { App, Form, Input, Modal, Select } from 'antd';
import type { CreateOrgRequest, OrgUnit } from '@guotu/contracts';
import { orgKinds, type OrgKind } from '@guotu/domain';
import { ApiError } from '../../api/client.ts';
import { createOrg } from '../../api/endpoints.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { errorText } from '../../lib/error-text.ts';
import { applyServerErrors } from '../../lib/form-errors.ts';

interface Values {
  name: string;
  kind: OrgKind;
  divisionCode?: string;
}

const fields = ['name', 'kind', 'divisionCode'];

export function AddOrgModal({
  parent,
  onClose,
  onCreated,
}: {
  parent: OrgUnit | undefined;
  onClose: () => void;
  onCreated: (unit: OrgUnit) => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);

  async function submit(values: Values) {
    if (!parent) return;
    setSaving(true);
    const request: CreateOrgRequest = { parentId: parent.id, kind: values.kind, name: values.name.trim() };
    if (values.divisionCode?.trim()) request.divisionCode = values.divisionCode.trim();
    try {
      const unit = await createOrg(request);
      void message.success(t('orgs.created', { name: unit.name }));
      onCreated(unit);
    } catch (error) {
      const rest = error instanceof ApiError ? applyServerErrors(form, error, { fields, t }) : [];
      if (!(error instanceof ApiError) || error.details.length === 0 || rest.length > 0) {
        void message.error([errorText(error, t), ...rest].join(' '));
      }
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open={parent !== undefined}
      title={parent ? t('orgs.addChildOf', { name: parent.name }) : ''}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false} onFinish={(values) => void submit(values)}>
        <Form.Item
          name="name"
          label={t('orgs.name')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="kind" label={t('orgs.kind')} rules={[{ required: true, message: t('common.required') }]}>
          <Select options={orgKinds.map((kind) => ({ value: kind, label: t(`orgKind.${kind}`) }))} />
        </Form.Item>
        <Form.Item
          name="divisionCode"
          label={t('orgs.divisionCode')}
          extra={t('orgs.divisionCodeHint')}
          rules={[{ pattern: /^\d{6}$/, message: t('orgs.divisionCodeHint') }]}
        >
          <Input maxLength={6} inputMode="numeric" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
