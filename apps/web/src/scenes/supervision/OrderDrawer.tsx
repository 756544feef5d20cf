import { useState } from 'react';
import { App, Button, Descriptions, Drawer, Form, Input, Space, Tag, Timeline, Typography } from 'antd';
import { useQuery } from '../../hooks/useQuery.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import type { MessageKey } from '../../i18n/types.ts';
import { errorText } from '../../lib/error-text.ts';
import {
  closeOrder,
  orderPath,
  replyToOrder,
  sendBackOrder,
  type Order,
  type OrderAction,
  type OrderDetail,
} from './api.ts';

export const orderStatusColor = { issued: 'blue', replied: 'gold', closed: 'green' } as const;
const actionColor: Record<OrderAction, string> = { issued: 'blue', replied: 'gold', sentBack: 'red', closed: 'green' };

const shanghaiDate = (iso: string | null) =>
  iso ? new Date(iso).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' }) : '—';
const shanghaiTime = (iso: string) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' });

/**
 * One order: its facts, its history, and what the caller may do — the office head of the target
 * office replies (explanation / rectification report); the supervision office closes the order or
 * sends it back with a reason (a new reply clock starts). What is offered follows `abilities`.
 */
export function OrderDrawer({ id, onClose, onChanged }: { id: string; onClose: () => void; onChanged: () => void }) {
  const { t } = useI18n();
  const detail = useQuery<OrderDetail>(orderPath(id));
  const o = detail.data;
  return (
    <Drawer
      open
      width={640}
      title={o ? `${t(`supervision.kind.${o.kind}` as MessageKey)} ${o.number}` : t('supervision.order.detail')}
      onClose={onClose}
      data-testid="order-drawer"
    >
      {o && (
        <div data-testid="order-detail">
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t('supervision.col.state')}>
              <Tag color={orderStatusColor[o.status]} data-testid="order-status">
                {t(`supervision.status.${o.status}` as MessageKey)}
              </Tag>
              {o.rounds > 1 && <Tag>{t('supervision.order.round', { round: o.rounds })}</Tag>}
            </Descriptions.Item>
            <Descriptions.Item label={t('supervision.order.org')}>{o.orgName}</Descriptions.Item>
            <Descriptions.Item label={t('supervision.order.case')}>{o.caseNumber ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('supervision.order.reason')}>{o.reason}</Descriptions.Item>
            <Descriptions.Item label={t('supervision.order.issuedAt')}>{shanghaiTime(o.issuedAt)}</Descriptions.Item>
            <Descriptions.Item label={t('supervision.order.replyBy')}>
              <span data-testid="order-due">{shanghaiDate(o.dueAt)}</span>
            </Descriptions.Item>
            <Descriptions.Item
              label={t(
                o.status === 'issued' && o.reply ? 'supervision.order.previousReply' : 'supervision.order.reply',
              )}
            >
              {o.reply ? (
                <Space direction="vertical" size={2}>
                  <Typography.Text data-testid="order-reply-text">{o.reply}</Typography.Text>
                  {o.repliedAt && (
                    <Typography.Text type="secondary">
                      {shanghaiTime(o.repliedAt)}{' '}
                      {o.repliedOnTime === false ? (
                        <Tag color="red">{t('supervision.order.late')}</Tag>
                      ) : o.repliedOnTime ? (
                        <Tag color="green">{t('supervision.order.onTime')}</Tag>
                      ) : null}
                    </Typography.Text>
                  )}
                </Space>
              ) : (
                '—'
              )}
            </Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('supervision.order.history')}
          </Typography.Title>
          <Timeline
            data-testid="order-history"
            items={o.events.map((e) => ({
              color: actionColor[e.action],
              children: (
                <div>
                  <b>{t(`supervision.event.${e.action}` as MessageKey)}</b> · {e.byName ?? '—'} ·{' '}
                  <Typography.Text type="secondary">{shanghaiTime(e.at)}</Typography.Text>
                  {e.note && <div>{e.note}</div>}
                </div>
              ),
            }))}
          />
          <OrderActions
            order={o}
            onDone={() => {
              detail.reload();
              onChanged();
            }}
          />
        </div>
      )}
    </Drawer>
  );
}

type Run = (action: () => Promise<Order>, done: (o: Order) => string) => Promise<void>;

/** The form the caller may use on this order now; each form is new per order version. */
function OrderActions({ order, onDone }: { order: OrderDetail; onDone: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const run: Run = async (action, done) => {
    setBusy(true);
    try {
      const after = await action();
      void message.success(done(after));
      onDone();
    } catch (error) {
      void message.error(errorText(error, t));
    } finally {
      setBusy(false);
    }
  };
  if (order.abilities.reply) return <ReplyForm key={order.version} order={order} busy={busy} run={run} />;
  if (order.abilities.close || order.abilities.sendBack)
    return <ReviewForm key={order.version} order={order} busy={busy} run={run} />;
  return null;
}

/** The office head answers: reply, explanation or rectification report. */
function ReplyForm({ order, busy, run }: { order: OrderDetail; busy: boolean; run: Run }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ reply: string }>();
  const reply = (values: { reply: string }) =>
    void run(
      () => replyToOrder(order.id, order.version, values.reply.trim()),
      () => t('supervision.order.repliedMessage'),
    );
  return (
    <Form<{ reply: string }> form={form} layout="vertical" onFinish={reply} data-testid="order-reply-form">
      <Form.Item
        name="reply"
        label={t(`supervision.order.replyAs.${order.kind}` as MessageKey)}
        rules={[
          { required: true, whitespace: true, message: t('supervision.order.replyRequired') },
          { max: 5000, message: t('supervision.order.tooLong', { max: 5000 }) },
        ]}
      >
        <Input.TextArea rows={5} data-testid="order-reply-input" placeholder={t('supervision.order.replyHint')} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy} data-testid="order-reply-submit">
        {t('supervision.order.submitReply')}
      </Button>
    </Form>
  );
}

/** The supervision office reviews a reply: close (note optional) or send back (reason required). */
function ReviewForm({ order, busy, run }: { order: OrderDetail; busy: boolean; run: Run }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ note?: string }>();
  const note = () => (form.getFieldValue('note') as string | undefined)?.trim() ?? '';
  const close = async () => {
    try {
      await form.validateFields();
    } catch {
      return;
    }
    await run(
      () => closeOrder(order.id, order.version, note() || undefined),
      () => t('supervision.order.closedMessage'),
    );
  };
  const sendBack = async () => {
    try {
      await form.validateFields();
    } catch {
      return;
    }
    const reason = note();
    if (reason === '') {
      form.setFields([{ name: 'note', errors: [t('supervision.order.sendBackRequired')] }]);
      return;
    }
    await run(
      () => sendBackOrder(order.id, order.version, reason),
      (after) => t('supervision.order.sentBackMessage', { due: shanghaiDate(after.dueAt) }),
    );
  };
  return (
    <Form<{ note?: string }> form={form} layout="vertical" data-testid="order-review-form">
      <Form.Item
        name="note"
        label={t('supervision.order.reviewNote')}
        extra={t('supervision.order.reviewHint')}
        rules={[{ max: 2000, message: t('supervision.order.tooLong', { max: 2000 }) }]}
      >
        <Input.TextArea rows={3} data-testid="order-review-note" />
      </Form.Item>
      <Space>
        {order.abilities.close && (
          <Button type="primary" loading={busy} onClick={() => void close()} data-testid="order-close">
            {t('supervision.order.close')}
          </Button>
        )}
        {order.abilities.sendBack && (
          <Button danger loading={busy} onClick={() => void sendBack()} data-testid="order-send-back">
            {t('supervision.order.sendBack')}
          </Button>
        )}
      </Space>
    </Form>
  );
}
