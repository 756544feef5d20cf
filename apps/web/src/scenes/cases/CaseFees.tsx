import { useState } from 'react';
import { Alert, App, AutoComplete, Button, Form, Input, InputNumber, Space, Table, Typography } from 'antd';
import { ApiError } from '../../api/client.ts';
import { recordCaseFee, type CaseDetail, type CaseFeeView, type MatterFees } from '../../api/cases.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { formatInstant } from '../../lib/dates.ts';
import { errorText } from '../../lib/error-text.ts';
import { applyServerErrors } from '../../lib/form-errors.ts';

interface FeeForm {
  itemName: string;
  amount: number | null;
  basis?: string;
  note?: string;
}

const fields = ['itemName', 'amount', 'basis', 'note'] as const;

/** An item amount that is a plain number ("20", "20元"), as supervision compares it; else undefined. */
function plainAmount(amount: string): number | undefined {
  const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*元?\s*$/.exec(amount);
  return m?.[1] ? Number(m[1]) : undefined;
}

/** Sum in fen, shown in yuan with two decimals (the amounts come as text: no float drift). */
function total(fees: readonly CaseFeeView[]): string {
  const fen = fees.reduce((sum, f) => sum + Math.round(Number(f.amount) * 100), 0);
  return (fen / 100).toFixed(2);
}

/**
 * 收费: the fees recorded on the case and, when the server lists `recordFee`, the form to record
 * one — the item picked from the matter's fee items or typed, the amount, the basis, a note. The
 * server judges; its field errors land on the fields. docs/cases.md § Fees.
 */
export function CaseFees({
  detail,
  matterFees,
  onChange,
}: {
  detail: CaseDetail;
  matterFees: MatterFees | undefined;
  onChange: (detail: CaseDetail) => void;
}) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<FeeForm>();
  const [busy, setBusy] = useState(false);
  const [unmatched, setUnmatched] = useState<string[]>([]);
  const canRecord = detail.actions.includes('recordFee');
  const items = matterFees?.items ?? [];

  async function submit(values: FeeForm) {
    setBusy(true);
    setUnmatched([]);
    try {
      const answer = await recordCaseFee(detail.id, {
        version: detail.version,
        itemName: values.itemName,
        amount: values.amount ?? 0,
        ...(values.basis?.trim() ? { basis: values.basis.trim() } : {}),
        ...(values.note?.trim() ? { note: values.note.trim() } : {}),
      });
      onChange(answer.case);
      form.resetFields();
      void message.success(t('cases.fee.recorded'));
    } catch (error) {
      const rest = error instanceof ApiError ? applyServerErrors(form, error, { fields, t }) : [];
      if (!(error instanceof ApiError) || error.details.length === 0 || rest.length > 0) {
        setUnmatched(rest);
        void message.error(errorText(error, t));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="case-fees">
      {matterFees && !matterFees.charged && (
        <Alert type="info" showIcon message={t('cases.fee.notCharged', { notes: matterFees.notes ?? '' })} />
      )}
      {matterFees?.charged && items.length > 0 && (
        <Typography.Text type="secondary">
          {t('cases.fee.matterItems', { items: items.map((i) => `${i.name}（${i.amount}）`).join('；') })}
        </Typography.Text>
      )}
      <Table<CaseFeeView>
        size="small"
        pagination={false}
        rowKey="id"
        dataSource={detail.fees}
        scroll={{ x: 'max-content' }}
        data-testid="case-fee-list"
        locale={{ emptyText: t('cases.fee.none') }}
        columns={[
          { title: t('cases.fee.item'), dataIndex: 'itemName' },
          { title: t('cases.fee.amount'), dataIndex: 'amount', align: 'right' },
          { title: t('cases.fee.basis'), dataIndex: 'basis', render: (v: string | null) => v ?? '—' },
          {
            title: t('cases.fee.collectedAt'),
            dataIndex: 'collectedAt',
            render: (v: string) => formatInstant(v, locale),
          },
          { title: t('cases.fee.recordedBy'), dataIndex: 'recordedBy', render: (v: string | null) => v ?? '—' },
          { title: t('cases.fee.note'), dataIndex: 'note', render: (v: string | null) => v ?? '—' },
        ]}
        summary={() =>
          detail.fees.length > 0 ? (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0} colSpan={6}>
                <Typography.Text strong data-testid="case-fee-total">
                  {t('cases.fee.total', { amount: total(detail.fees) })}
                </Typography.Text>
              </Table.Summary.Cell>
            </Table.Summary.Row>
          ) : null
        }
      />
      {canRecord && (
        <Form<FeeForm>
          form={form}
          layout="vertical"
          onFinish={(values) => void submit(values)}
          data-testid="case-fee-form"
          style={{ maxWidth: 640 }}
        >
          <Typography.Title level={5}>{t('cases.fee.record')}</Typography.Title>
          <Form.Item
            name="itemName"
            label={t('cases.fee.item')}
            extra={t('cases.fee.itemHint')}
            rules={[{ required: true, whitespace: true, message: t('cases.fee.itemRequired') }]}
          >
            <AutoComplete
              options={items.map((i) => ({ value: i.name, label: `${i.name}（${i.amount}）` }))}
              onSelect={(name: string) => {
                const amount = plainAmount(items.find((i) => i.name === name)?.amount ?? '');
                if (amount !== undefined) form.setFieldValue('amount', amount);
              }}
              filterOption={(input, option) => String(option?.value ?? '').includes(input)}
              data-testid="fee-item"
            />
          </Form.Item>
          <Form.Item
            name="amount"
            label={t('cases.fee.amount')}
            rules={[{ required: true, type: 'number', min: 0.01, message: t('cases.fee.amountRequired') }]}
          >
            <InputNumber<number> min={0.01} precision={2} step={1} style={{ width: 200 }} data-testid="fee-amount" />
          </Form.Item>
          <Form.Item name="basis" label={t('cases.fee.basis')} extra={t('cases.fee.basisHint')}>
            <Input maxLength={500} data-testid="fee-basis" />
          </Form.Item>
          <Form.Item name="note" label={t('cases.fee.note')}>
            <Input.TextArea maxLength={2000} autoSize={{ minRows: 1, maxRows: 4 }} data-testid="fee-note" />
          </Form.Item>
          {unmatched.length > 0 && <Alert type="error" showIcon message={unmatched.join('；')} />}
          <Button type="primary" htmlType="submit" loading={busy} data-testid="fee-submit">
            {t('cases.fee.record')}
          </Button>
        </Form>
      )}
    </Space>
  );
}
