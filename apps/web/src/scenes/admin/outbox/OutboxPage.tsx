import { useState } from 'react';
import { App, Button, Card, Select, Space, Table, Tag, Typography } from 'antd';
import { api, withQuery } from '../../../api/client.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { useQuery } from '../../../hooks/useQuery.ts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';

/** One outbox row as GET /api/v1/notifications/outbox gives it (docs/notifications.md). */
interface OutboxItem {
  id: number;
  event: string;
  channel: 'sms' | 'email' | 'inApp';
  address: string | null;
  subject: string | null;
  body: string;
  status: 'queued' | 'sending' | 'sent' | 'delivered' | 'failed';
  transport: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  deliveredAt: string | null;
  failedAt: string | null;
  /** the unit the message was caused in; null: none recorded (shown to top-level admins only) */
  orgName: string | null;
}

const statusColor: Record<OutboxItem['status'], string> = {
  queued: 'default',
  sending: 'processing',
  sent: 'blue',
  delivered: 'green',
  failed: 'red',
};

const PAGE = 50;

/**
 * 消息发件箱: the SMS, email and in-app messages of the admin's scope (the server scopes them by
 * the unit each was caused in: a city admin sees the city and its counties) with their delivery
 * status and unit. In the embedded default (SMS_MODE=store) nothing leaves the machine and this
 * page is where messages are read — an applicant's login code included (top-level admins). Failed
 * messages can be sent again.
 */
export default function OutboxPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [channel, setChannel] = useState<string | undefined>();
  const [status, setStatus] = useState<string | undefined>();
  const [offset, setOffset] = useState(0);
  const list = useQuery<{ items: OutboxItem[]; total: number }>(
    withQuery('/notifications/outbox', { channel, status, limit: PAGE, offset }),
  );
  const retry = async (id: number) => {
    await api(`/notifications/outbox/${id}/retry`, { method: 'POST' });
    void message.success(t('outbox.retried'));
    list.reload();
  };
  return (
    <Card
      title={t('outbox.title')}
      extra={
        <Space wrap>
          <Select
            allowClear
            placeholder={t('outbox.channel')}
            style={{ width: 120 }}
            value={channel}
            onChange={(v) => {
              setChannel(v);
              setOffset(0);
            }}
            options={(['sms', 'email', 'inApp'] as const).map((c) => ({ value: c, label: t(`outbox.channel.${c}`) }))}
            data-testid="outbox-channel"
          />
          <Select
            allowClear
            placeholder={t('outbox.status')}
            style={{ width: 120 }}
            value={status}
            onChange={(v) => {
              setStatus(v);
              setOffset(0);
            }}
            options={(['queued', 'sending', 'sent', 'delivered', 'failed'] as const).map((s) => ({
              value: s,
              label: t(`outbox.status.${s}`),
            }))}
          />
          <Button onClick={list.reload}>{t('common.retry')}</Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('outbox.hint')}</Typography.Paragraph>
      {list.error && <ErrorAlert error={list.error} />}
      <Table<OutboxItem>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 1060 }}
        pagination={{
          pageSize: PAGE,
          total: list.data?.total ?? 0,
          current: offset / PAGE + 1,
          onChange: (p) => setOffset((p - 1) * PAGE),
          showSizeChanger: false,
        }}
        columns={[
          {
            title: t('outbox.createdAt'),
            dataIndex: 'createdAt',
            width: 170,
            render: (v: string) => new Date(v).toLocaleString(),
          },
          { title: t('outbox.event'), dataIndex: 'event', width: 190 },
          {
            title: t('outbox.org'),
            dataIndex: 'orgName',
            width: 160,
            render: (name: string | null) => <span data-testid="outbox-org">{name ?? '—'}</span>,
          },
          {
            title: t('outbox.channel'),
            dataIndex: 'channel',
            width: 80,
            render: (c: OutboxItem['channel']) => t(`outbox.channel.${c}`),
          },
          { title: t('outbox.address'), dataIndex: 'address', width: 140, render: (a: string | null) => a ?? '—' },
          {
            title: t('outbox.body'),
            dataIndex: 'body',
            render: (body: string, row) => (
              <span data-testid="outbox-body">
                {row.subject ? <strong>{row.subject} </strong> : null}
                {body}
              </span>
            ),
          },
          {
            title: t('outbox.status'),
            dataIndex: 'status',
            width: 150,
            render: (s: OutboxItem['status'], row) => (
              <Space direction="vertical" size={0}>
                <Tag color={statusColor[s]}>{t(`outbox.status.${s}`)}</Tag>
                {row.lastError && <Typography.Text type="danger">{row.lastError}</Typography.Text>}
                {s === 'failed' && (
                  <Button size="small" onClick={() => void retry(row.id)}>
                    {t('outbox.retry')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
