import { useState } from 'react';
import { App, Button, Form, Input, InputNumber, Modal, Select, Table, Tag } from 'antd';
import { ApiError } from '../../api/client.ts';
import { useQuery } from '../../hooks/useQuery.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import type { MessageKey } from '../../i18n/types.ts';
import {
  closeOrder,
  issueOrder,
  orderKinds,
  ordersPath,
  orderTargetsPath,
  type Order,
  type OrderKind,
  type OrderTarget,
} from './api.ts';

const statusColor = { issued: 'blue', replied: 'gold', closed: 'green' } as const;

interface IssueForm {
  kind: OrderKind;
  orgId: number;
  caseNumber?: string;
  reason: string;
  replyWorkingDays: number;
}

/** 督办单 / 说明原因 / 限期整改: issue, track, close. */
export function OrdersPanel() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const orders = useQuery<Order[]>(ordersPath);
  const orgs = useQuery<OrderTarget[]>(orderTargetsPath);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<IssueForm>();

  const submit = async (values: IssueForm) => {
    setBusy(true);
    try {
      const order = await issueOrder({ ...values, ...(values.caseNumber ? { caseNumber: values.caseNumber } : {}) });
      void message.success(t('supervision.order.issued', { number: order.number }));
      setOpen(false);
      form.resetFields();
      orders.reload();
    } catch (error) {
      void message.error(error instanceof ApiError ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };
  const close = async (order: Order) => {
    try {
      await closeOrder(order.id, order.version);
      orders.reload();
    } catch (error) {
      void message.error(error instanceof ApiError ? error.message : String(error));
    }
  };

  return (
    <div>
      <Button type="primary" data-testid="order-issue-open" onClick={() => setOpen(true)} style={{ marginBottom: 12 }}>
        {t('supervision.order.issue')}
      </Button>
      <Table<Order>
        rowKey="id"
        size="small"
        data-testid="orders-table"
        loading={orders.loading}
        dataSource={orders.data ?? []}
        columns={[
          { title: t('supervision.order.number'), dataIndex: 'number' },
          { title: t('supervision.order.kind'), render: (_, o) => t(`supervision.kind.${o.kind}` as MessageKey) },
          { title: t('supervision.order.org'), dataIndex: 'orgName' },
          { title: t('supervision.order.case'), render: (_, o) => o.caseNumber ?? '—' },
          { title: t('supervision.order.reason'), dataIndex: 'reason' },
          {
            title: t('supervision.col.due'),
            render: (_, o) =>
              o.dueAt ? new Date(o.dueAt).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' }) : '—',
          },
          {
            title: t('supervision.col.state'),
            render: (_, o) => (
              <Tag color={statusColor[o.status]}>{t(`supervision.status.${o.status}` as MessageKey)}</Tag>
            ),
          },
          { title: t('supervision.order.reply'), render: (_, o) => o.reply ?? '—' },
          {
            title: '',
            render: (_, o) =>
              o.status === 'replied' ? (
                <Button size="small" onClick={() => void close(o)}>
                  {t('supervision.order.close')}
                </Button>
              ) : null,
          },
        ]}
      />
      <Modal
        open={open}
        title={t('supervision.order.issue')}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        confirmLoading={busy}
        okButtonProps={{ 'data-testid': 'order-submit' }}
      >
        <Form<IssueForm>
          form={form}
          layout="vertical"
          initialValues={{ kind: 'supervisionOrder', replyWorkingDays: 3 }}
          onFinish={(v) => void submit(v)}
        >
          <Form.Item name="kind" label={t('supervision.order.kind')} rules={[{ required: true }]}>
            <Select options={orderKinds.map((k) => ({ value: k, label: t(`supervision.kind.${k}` as MessageKey) }))} />
          </Form.Item>
          <Form.Item name="orgId" label={t('supervision.order.org')} rules={[{ required: true }]}>
            <Select
              showSearch
              data-testid="order-org"
              optionFilterProp="label"
              loading={orgs.loading}
              options={(orgs.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
            />
          </Form.Item>
          <Form.Item name="caseNumber" label={t('supervision.order.case')}>
            <Input data-testid="order-case" />
          </Form.Item>
          <Form.Item name="reason" label={t('supervision.order.reason')} rules={[{ required: true }]}>
            <Input.TextArea data-testid="order-reason" rows={3} />
          </Form.Item>
          <Form.Item name="replyWorkingDays" label={t('supervision.order.replyDays')} rules={[{ required: true }]}>
            <InputNumber min={1} max={60} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
