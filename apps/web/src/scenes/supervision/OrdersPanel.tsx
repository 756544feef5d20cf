import { useState } from 'react';
import { App, Button, Form, Input, InputNumber, Modal, Segmented, Select, Space, Table, Tag } from 'antd';
import { useQuery } from '../../hooks/useQuery.ts';
import { useCan } from '../../hooks/useSession.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import type { MessageKey } from '../../i18n/types.ts';
import { errorText } from '../../lib/error-text.ts';
import {
  issueOrder,
  orderKinds,
  ordersListPath,
  orderTargetsPath,
  type Order,
  type OrderKind,
  type OrderStatus,
  type OrderTarget,
} from './api.ts';
import { OrderDrawer, orderStatusColor } from './OrderDrawer.tsx';

interface IssueForm {
  kind: OrderKind;
  orgId: number;
  caseNumber?: string;
  reason: string;
  replyWorkingDays: number;
}

type StatusFilter = OrderStatus | 'all';

/**
 * 督办单 / 说明原因 / 限期整改. The supervision office (supervision.act) issues orders and reviews
 * replies — closes them or sends them back; an office head sees the orders of their office and
 * answers them. Both work in the order drawer.
 */
export function OrdersPanel() {
  const { t } = useI18n();
  const can = useCan();
  const canAct = can('supervision.act');
  const { message } = App.useApp();
  const [status, setStatus] = useState<StatusFilter>('all');
  const orders = useQuery<Order[]>(ordersListPath(status === 'all' ? undefined : status));
  const orgs = useQuery<OrderTarget[]>(canAct ? orderTargetsPath : null);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const [form] = Form.useForm<IssueForm>();

  const submit = async (values: IssueForm) => {
    setBusy(true);
    try {
      const order = await issueOrder({
        kind: values.kind,
        orgId: values.orgId,
        reason: values.reason.trim(),
        replyWorkingDays: values.replyWorkingDays,
        ...(values.caseNumber?.trim() ? { caseNumber: values.caseNumber.trim() } : {}),
      });
      void message.success(t('supervision.order.issued', { number: order.number }));
      setOpen(false);
      form.resetFields();
      orders.reload();
    } catch (error) {
      void message.error(errorText(error, t));
    } finally {
      setBusy(false);
    }
  };

  const actionLabel = (o: Order): string => {
    if (o.status === 'issued' && !canAct) return t('supervision.order.answer');
    if (o.status === 'replied' && canAct) return t('supervision.order.review');
    return t('supervision.order.open');
  };

  return (
    <div>
      <Space style={{ marginBottom: 12 }} wrap>
        {canAct && (
          <Button type="primary" data-testid="order-issue-open" onClick={() => setOpen(true)}>
            {t('supervision.order.issue')}
          </Button>
        )}
        <Segmented<StatusFilter>
          data-testid="order-status-filter"
          value={status}
          onChange={setStatus}
          options={[
            { value: 'all', label: t('supervision.order.all') },
            { value: 'issued', label: t('supervision.status.issued') },
            { value: 'replied', label: t('supervision.status.replied') },
            { value: 'closed', label: t('supervision.status.closed') },
          ]}
        />
      </Space>
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
          { title: t('supervision.order.reason'), dataIndex: 'reason', ellipsis: true },
          {
            title: t('supervision.col.due'),
            render: (_, o) =>
              o.dueAt ? new Date(o.dueAt).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' }) : '—',
          },
          {
            title: t('supervision.col.state'),
            render: (_, o) => (
              <Space size={2}>
                <Tag color={orderStatusColor[o.status]}>{t(`supervision.status.${o.status}` as MessageKey)}</Tag>
                {o.rounds > 1 && <Tag>{t('supervision.order.round', { round: o.rounds })}</Tag>}
              </Space>
            ),
          },
          { title: t('supervision.order.reply'), render: (_, o) => o.reply ?? '—', ellipsis: true },
          {
            title: '',
            render: (_, o) => (
              <Button size="small" data-testid={`order-open-${o.number}`} onClick={() => setSelected(o.id)}>
                {actionLabel(o)}
              </Button>
            ),
          },
        ]}
      />
      {selected !== null && (
        <OrderDrawer id={selected} onClose={() => setSelected(null)} onChanged={() => orders.reload()} />
      )}
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
          <Form.Item
            name="orgId"
            label={t('supervision.order.org')}
            rules={[{ required: true, message: t('supervision.order.orgRequired') }]}
          >
            <Select
              showSearch
              data-testid="order-org"
              optionFilterProp="label"
              loading={orgs.loading}
              options={(orgs.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
            />
          </Form.Item>
          <Form.Item name="caseNumber" label={t('supervision.order.case')}>
            <Input data-testid="order-case" maxLength={100} />
          </Form.Item>
          <Form.Item
            name="reason"
            label={t('supervision.order.reason')}
            rules={[{ required: true, whitespace: true, message: t('supervision.order.reasonRequired') }]}
          >
            <Input.TextArea data-testid="order-reason" rows={3} maxLength={2000} />
          </Form.Item>
          <Form.Item name="replyWorkingDays" label={t('supervision.order.replyDays')} rules={[{ required: true }]}>
            <InputNumber min={1} max={60} precision={0} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
