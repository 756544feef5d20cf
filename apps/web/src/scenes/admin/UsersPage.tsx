import { useMemo, useState } from 'react';
import { Button, Card, Input, Space, Table, Tag, TreeSelect, Typography, type TableColumnsType } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import type { User } from '@guotu/contracts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useOrgs, useRoles, useUsers } from '../../hooks/useDirectory.ts';
import { useCan } from '../../hooks/useSession.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { buildOrgTree, toTreeData } from '../../lib/org-tree.ts';
import { UserFormModal, type UserFormTarget } from './UserFormModal.tsx';

const pageSize = 20;

export default function UsersPage() {
  const { t, locale } = useI18n();
  const can = useCan();
  const [orgId, setOrgId] = useState<number | undefined>(undefined);
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [formTarget, setFormTarget] = useState<UserFormTarget | undefined>(undefined);
  // a fresh form per opening: antd keeps a form store's initial values from its first mount
  const [formKey, setFormKey] = useState(0);
  const openForm = (target: UserFormTarget) => {
    setFormKey((key) => key + 1);
    setFormTarget(target);
  };

  const users = useUsers({ orgId, q: q || undefined, limit: pageSize, offset: (page - 1) * pageSize });
  const orgs = useOrgs();
  const manage = can('user.manage');
  // GET /roles is only needed to pick roles, i.e. by those who may manage users
  const roles = useRoles(manage);
  const orgTree = useMemo(() => toTreeData(buildOrgTree(orgs.data ?? [])), [orgs.data]);
  const dateFormat = useMemo(
    () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }),
    [locale],
  );

  const columns: TableColumnsType<User> = [
    { title: t('users.username'), dataIndex: 'username', key: 'username' },
    { title: t('users.displayName'), dataIndex: 'displayName', key: 'displayName' },
    { title: t('users.org'), dataIndex: 'orgName', key: 'orgName' },
    {
      title: t('users.roles'),
      key: 'roles',
      render: (_value, user) => user.roles.map((role) => <Tag key={role}>{t(`role.${role}`)}</Tag>),
    },
    {
      title: t('users.status'),
      key: 'status',
      render: (_value, user) =>
        user.disabled ? (
          <Tag color="default">{t('users.disabled')}</Tag>
        ) : (
          <Tag color="green">{t('users.enabled')}</Tag>
        ),
    },
    { title: t('users.phone'), dataIndex: 'phone', key: 'phone', render: (phone: string | null) => phone ?? '—' },
    {
      title: t('users.createdAt'),
      dataIndex: 'createdAt',
      key: 'createdAt',
      render: (value: string) => (Number.isNaN(Date.parse(value)) ? value : dateFormat.format(new Date(value))),
    },
  ];
  if (manage) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      render: (_value, user) => (
        <Button size="small" icon={<EditOutlined />} onClick={() => openForm({ editing: user })}>
          {t('common.edit')}
        </Button>
      ),
    });
  }

  return (
    <>
      <div className="guotu-page-head">
        <Typography.Title level={3} data-testid="page-title">
          {t('users.title')}
        </Typography.Title>
        {manage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => openForm({})} data-testid="create-user">
            {t('users.create')}
          </Button>
        )}
      </div>
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <TreeSelect
            allowClear
            showSearch
            treeNodeFilterProp="title"
            placeholder={t('users.filterOrg')}
            treeData={orgTree}
            treeDefaultExpandedKeys={orgTree.map((node) => node.key)}
            value={orgId}
            onChange={(value: number | undefined) => {
              setOrgId(value);
              setPage(1);
            }}
            style={{ width: 240, maxWidth: '100%' }}
          />
          <Input.Search
            allowClear
            placeholder={t('users.searchPlaceholder')}
            enterButton={t('common.search')}
            onSearch={(value) => {
              setQ(value.trim());
              setPage(1);
            }}
            style={{ width: 280, maxWidth: '100%' }}
            data-testid="user-search"
          />
        </Space>
        {users.error && <ErrorAlert error={users.error} onRetry={users.reload} />}
        <Table<User>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={users.data?.items ?? []}
          loading={users.loading}
          scroll={{ x: 'max-content' }}
          pagination={{
            current: page,
            pageSize,
            total: users.data?.total ?? 0,
            showSizeChanger: false,
            showTotal: (total) => t('users.total', { total }),
            onChange: setPage,
          }}
          data-testid="users-table"
        />
      </Card>
      {manage && (
        <UserFormModal
          key={formKey}
          target={formTarget}
          orgTree={orgTree}
          roles={roles.data ?? []}
          onClose={() => setFormTarget(undefined)}
          onSaved={() => {
            setFormTarget(undefined);
            users.reload();
          }}
        />
      )}
    </>
  );
}
