import { Card, Descriptions, Empty, Space, Tag, Typography } from 'antd';
import { useCan, useUser } from '../../hooks/useSession.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { TaskInbox } from '../workflow/TaskInbox.tsx';

export default function Workbench() {
  const { t } = useI18n();
  const user = useUser();
  const can = useCan();
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
        {t('workbench.title')}
      </Typography.Title>
      <Card title={t('workbench.welcome', { name: user.displayName })}>
        <Descriptions column={1} size="small">
          <Descriptions.Item label={t('workbench.org')}>
            <Space size="small">
              {user.orgName}
              <Tag>{t(`orgKind.${user.orgKind}`)}</Tag>
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('workbench.roles')}>
            {user.roles.map((role) => (
              <Tag key={role} color="blue">
                {t(`role.${role}`)}
              </Tag>
            ))}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={t('workbench.todo')}>
        {can('workflow.read') ? <TaskInbox /> : <Empty description={t('workbench.noWorkflow')} />}
      </Card>
    </Space>
  );
}
