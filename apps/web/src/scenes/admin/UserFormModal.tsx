import { useState } from 'react';
import { App, Form, Input, Modal, Select, Switch, TreeSelect } from 'antd';
import type { CreateUserRequest, RoleInfo, UpdateUserRequest, User } from '@guotu/contracts';
import type { RoleKey } from '@guotu/domain';
import { ApiError } from '../../api/client.ts';
import { createUser, updateUser } from '../../api/endpoints.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { errorText } from '../../lib/error-text.ts';
import { applyServerErrors, passwordPolicyRule } from '../../lib/form-errors.ts';
import type { OrgTreeData } from '../../lib/org-tree.ts';

interface Values {
  username: string;
  displayName: string;
  password: string;
  orgId: number;
  roles: RoleKey[];
  phone?: string;
  email?: string;
  disabled?: boolean;
}

const fields = ['username', 'displayName', 'password', 'orgId', 'roles', 'phone', 'email', 'disabled'];

/** `editing` undefined: create a user; otherwise edit that user (no username/password). */
export interface UserFormTarget {
  editing?: User;
}

interface Props {
  target: UserFormTarget | undefined;
  orgTree: OrgTreeData[];
  roles: RoleInfo[];
  onClose: () => void;
  onSaved: (user: User) => void;
}

const optional = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

export function UserFormModal({ target, orgTree, roles, onClose, onSaved }: Props) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const editing = target?.editing;

  async function submit(values: Values) {
    setSaving(true);
    try {
      let user: User;
      if (editing) {
        const patch: UpdateUserRequest = {
          displayName: values.displayName.trim(),
          orgId: values.orgId,
          roles: values.roles,
          disabled: values.disabled ?? false,
          phone: optional(values.phone) ?? null,
          email: optional(values.email) ?? null,
        };
        user = await updateUser(editing.id, patch);
        void message.success(t('users.updated', { name: user.displayName }));
      } else {
        const request: CreateUserRequest = {
          username: values.username.trim(),
          displayName: values.displayName.trim(),
          password: values.password,
          orgId: values.orgId,
          roles: values.roles,
        };
        const phone = optional(values.phone);
        const email = optional(values.email);
        if (phone) request.phone = phone;
        if (email) request.email = email;
        user = await createUser(request);
        void message.success(t('users.created', { name: user.displayName }));
      }
      onSaved(user);
    } catch (error) {
      const rest =
        error instanceof ApiError ? applyServerErrors(form, error, { fields, t, conflict: 'users.usernameTaken' }) : [];
      const onFields =
        error instanceof ApiError && (error.details.length > 0 || error.code === 'CONFLICT') && rest.length === 0;
      if (!onFields) void message.error([errorText(error, t), ...rest].join(' '));
    } finally {
      setSaving(false);
    }
  }

  const required = { required: true, message: t('common.required') };
  const initialValues: Partial<Values> | undefined = editing
    ? {
        displayName: editing.displayName,
        orgId: editing.orgId,
        roles: editing.roles,
        phone: editing.phone ?? undefined,
        email: editing.email ?? undefined,
        disabled: editing.disabled,
      }
    : { roles: [] };

  return (
    <Modal
      open={target !== undefined}
      title={editing ? t('users.editTitle', { name: editing.displayName }) : t('users.create')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      data-testid="user-form-modal"
    >
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={initialValues}
        onFinish={(values) => void submit(values)}
      >
        {!editing && (
          <Form.Item
            name="username"
            label={t('users.username')}
            rules={[required, { pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/, message: t('users.usernameRule') }]}
          >
            <Input autoComplete="off" maxLength={64} data-testid="field-username" />
          </Form.Item>
        )}
        <Form.Item name="displayName" label={t('users.displayName')} rules={[{ ...required, whitespace: true }]}>
          <Input maxLength={64} data-testid="field-displayName" />
        </Form.Item>
        {!editing && (
          <Form.Item name="password" label={t('users.password')} rules={[required, passwordPolicyRule(t)]}>
            <Input.Password autoComplete="new-password" data-testid="field-password" />
          </Form.Item>
        )}
        <Form.Item name="orgId" label={t('users.org')} rules={[required]}>
          <TreeSelect
            treeData={orgTree}
            showSearch
            treeNodeFilterProp="title"
            treeDefaultExpandedKeys={orgTree.map((node) => node.key)}
            data-testid="field-orgId"
          />
        </Form.Item>
        <Form.Item name="roles" label={t('users.roles')} rules={[{ ...required, type: 'array', min: 1 }]}>
          <Select
            mode="multiple"
            options={roles.map((role) => ({ value: role.key, label: t(`role.${role.key}`) }))}
            data-testid="field-roles"
          />
        </Form.Item>
        <Form.Item
          name="phone"
          label={t('users.phone')}
          rules={[{ pattern: /^\+?[0-9]{6,15}$/, message: t('users.phoneInvalid') }]}
        >
          <Input inputMode="tel" maxLength={20} />
        </Form.Item>
        <Form.Item name="email" label={t('users.email')} rules={[{ type: 'email', message: t('users.emailInvalid') }]}>
          <Input inputMode="email" maxLength={120} />
        </Form.Item>
        {editing && (
          <Form.Item name="disabled" label={t('users.disable')} valuePropName="checked">
            <Switch />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
