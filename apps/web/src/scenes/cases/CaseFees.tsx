import { useState, type HTMLAttributes, type ReactNode } from 'react';
import {
  Alert,
  App,
  AutoComplete,
  Button,
  Checkbox,
  Form,
  Input,
  InputNumber,
  Modal,
  Space,
  Table,
  Tag,
  Typography,
  type FormInstance,
} from 'antd';
import type { VoidCaseFeeRequest } from '@guotu/contracts';
import { api, ApiError } from '../../api/client.ts';
import {
  recordCaseFee,
  type CaseActionResponse,
  type CaseDetail,
  type CaseFeeView,
  type MatterFees,
} from '../../api/cases.ts';
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

interface VoidForm extends Partial<FeeForm> {
  reason: string;
  correct?: boolean;
}

type MatterFeeItem = MatterFees['items'][number];

const fields = ['itemName', 'amount', 'basis', 'note'] as const;

/** 作废/更正 (docs/cases.md § Fees): the same people and states as recording (`recordFee`). */
const voidCaseFee = (id: number, feeId: number, body: VoidCaseFeeRequest) =>
  api<CaseActionResponse>(`/cases/${id}/fees/${feeId}/void`, { method: 'POST', body });

/** An item amount that is a plain number ("20", "20元"), as supervision compares it; else undefined. */
function plainAmount(amount: string): number | undefined {
  const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*元?\s*$/.exec(amount);
  return m?.[1] ? Number(m[1]) : undefined;
}

/** Sum in fen of the records that count (not voided), in yuan with two decimals (no float drift). */
function total(fees: readonly CaseFeeView[]): string {
  const fen = fees.filter((f) => !f.voidedAt).reduce((sum, f) => sum + Math.round(Number(f.amount) * 100), 0);
  return (fen / 100).toFixed(2);
}

/** The optional text fields of a fee, trimmed, left out when empty. */
function optional(values: Partial<FeeForm>): { basis?: string; note?: string } {
  return {
    ...(values.basis?.trim() ? { basis: values.basis.trim() } : {}),
    ...(values.note?.trim() ? { note: values.note.trim() } : {}),
  };
}

/** Item (the matter's items offered, their plain amount filled in), amount, basis and note. */
function FeeFormItems({ form, items, testId }: { form: FormInstance; items: MatterFeeItem[]; testId: string }) {
  const { t } = useI18n();
  return (
    <>
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
          data-testid={`${testId}-item`}
        />
      </Form.Item>
      <Form.Item
        name="amount"
        label={t('cases.fee.amount')}
        rules={[{ required: true, type: 'number', min: 0.01, message: t('cases.fee.amountRequired') }]}
      >
        <InputNumber<number>
          min={0.01}
          precision={2}
          step={1}
          style={{ width: 200 }}
          data-testid={`${testId}-amount`}
        />
      </Form.Item>
      <Form.Item name="basis" label={t('cases.fee.basis')} extra={t('cases.fee.basisHint')}>
        <Input maxLength={500} data-testid={`${testId}-basis`} />
      </Form.Item>
      <Form.Item name="note" label={t('cases.fee.note')}>
        <Input.TextArea maxLength={2000} autoSize={{ minRows: 1, maxRows: 4 }} data-testid={`${testId}-note`} />
      </Form.Item>
    </>
  );
}

/**
 * 作废/更正 of one record: a required reason and, ticked, the corrected fee (pre-filled from the
 * record). The server's field errors (`body.reason`, `body.correction.amount`) land on the fields.
 */
function VoidFeeModal({
  detail,
  fee,
  items,
  onDone,
  onCancel,
}: {
  detail: CaseDetail;
  fee: CaseFeeView;
  items: MatterFeeItem[];
  onDone: (detail: CaseDetail) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<VoidForm>();
  const [busy, setBusy] = useState(false);
  const [unmatched, setUnmatched] = useState<string[]>([]);
  const correct = Form.useWatch('correct', form) === true;

  async function submit(values: VoidForm) {
    setBusy(true);
    setUnmatched([]);
    try {
      const answer = await voidCaseFee(detail.id, fee.id, {
        version: detail.version,
        reason: values.reason,
        ...(values.correct
          ? { correction: { itemName: values.itemName ?? '', amount: values.amount ?? 0, ...optional(values) } }
          : {}),
      });
      void message.success(t(values.correct ? 'cases.fee.correctedDone' : 'cases.fee.voidDone'));
      onDone(answer.case);
    } catch (error) {
      const rest: string[] = [];
      if (error instanceof ApiError) {
        const named = new Map<string, string[]>();
        for (const d of error.details) {
          const name = d.path?.replace(/^body\.(correction\.)?/, '');
          if (name && (name === 'reason' || (fields as readonly string[]).includes(name)))
            named.set(name, [...(named.get(name) ?? []), d.message]);
          else rest.push(d.message);
        }
        form.setFields([...named].map(([name, errors]) => ({ name: name as keyof VoidForm, errors })));
      }
      if (!(error instanceof ApiError) || error.details.length === 0 || rest.length > 0) {
        setUnmatched(rest);
        void message.error(errorText(error, t));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      open
      width="min(640px, 96vw)"
      title={t('cases.fee.voidTitle', { item: fee.itemName, amount: fee.amount })}
      okText={t('cases.fee.voidSubmit')}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger: true, 'data-testid': 'fee-void-submit' }}
      confirmLoading={busy}
      onCancel={onCancel}
      onOk={() => form.submit()}
      data-testid="fee-void-dialog"
    >
      <Form<VoidForm>
        form={form}
        layout="vertical"
        initialValues={{
          correct: false,
          itemName: fee.itemName,
          amount: Number(fee.amount),
          basis: fee.basis ?? undefined,
          note: fee.note ?? undefined,
        }}
        onFinish={(values) => void submit(values)}
      >
        <Typography.Paragraph type="secondary">{t('cases.fee.voidHint')}</Typography.Paragraph>
        <Form.Item
          name="reason"
          label={t('cases.fee.voidReason')}
          rules={[{ required: true, whitespace: true, message: t('cases.fee.voidReasonRequired') }]}
        >
          <Input.TextArea maxLength={2000} autoSize={{ minRows: 2, maxRows: 5 }} data-testid="fee-void-reason" />
        </Form.Item>
        <Form.Item name="correct" valuePropName="checked">
          <Checkbox data-testid="fee-void-correct">{t('cases.fee.correct')}</Checkbox>
        </Form.Item>
        {correct && <FeeFormItems form={form} items={items} testId="correction" />}
        {unmatched.length > 0 && <Alert type="error" showIcon message={unmatched.join('；')} />}
      </Form>
    </Modal>
  );
}

/**
 * 收费: the fees recorded on the case — voided ones struck through with their reason — and, when
 * the server lists `recordFee`, the form to record one (the item picked from the matter's fee
 * items or typed, the amount, the basis, a note) and 作废/更正 on each record that counts. The
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
  const [voiding, setVoiding] = useState<CaseFeeView>();
  const canRecord = detail.actions.includes('recordFee');
  const items = matterFees?.items ?? [];
  const anyVoided = detail.fees.some((f) => f.voidedAt);

  async function submit(values: FeeForm) {
    setBusy(true);
    setUnmatched([]);
    try {
      const answer = await recordCaseFee(detail.id, {
        version: detail.version,
        itemName: values.itemName,
        amount: values.amount ?? 0,
        ...optional(values),
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

  /** A voided record's cells are struck through: still readable, visibly not counting. */
  const cell = (fee: CaseFeeView, text: ReactNode) =>
    fee.voidedAt ? (
      <Typography.Text delete type="secondary">
        {text}
      </Typography.Text>
    ) : (
      text
    );

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
        onRow={(f) =>
          ({
            'data-testid': 'case-fee',
            'data-fee-id': f.id,
            'data-voided': String(Boolean(f.voidedAt)),
          }) as HTMLAttributes<HTMLElement>
        }
        columns={[
          { title: t('cases.fee.item'), dataIndex: 'itemName', render: (v: string, f) => cell(f, v) },
          { title: t('cases.fee.amount'), dataIndex: 'amount', align: 'right', render: (v: string, f) => cell(f, v) },
          { title: t('cases.fee.basis'), dataIndex: 'basis', render: (v: string | null, f) => cell(f, v ?? '—') },
          {
            title: t('cases.fee.collectedAt'),
            dataIndex: 'collectedAt',
            render: (v: string, f) => cell(f, formatInstant(v, locale)),
          },
          {
            title: t('cases.fee.recordedBy'),
            dataIndex: 'recordedBy',
            render: (v: string | null, f) => cell(f, v ?? '—'),
          },
          { title: t('cases.fee.note'), dataIndex: 'note', render: (v: string | null, f) => cell(f, v ?? '—') },
          {
            title: t('cases.fee.status'),
            key: 'status',
            render: (_: unknown, f) =>
              f.voidedAt ? (
                <Space direction="vertical" size={0} data-testid="fee-voided">
                  <span>
                    <Tag color="red">{t('cases.fee.voidedTag')}</Tag>
                    {f.correctedBy !== null && <Tag>{t('cases.fee.correctedBy')}</Tag>}
                  </span>
                  <Typography.Text data-testid="fee-void-reason-text">{f.voidReason}</Typography.Text>
                  <Typography.Text type="secondary">
                    {t('cases.fee.voidedBy', { name: f.voidedBy ?? '—', at: formatInstant(f.voidedAt, locale) })}
                  </Typography.Text>
                </Space>
              ) : f.corrects !== null ? (
                <Tag color="blue">{t('cases.fee.correctionTag')}</Tag>
              ) : (
                '—'
              ),
          },
          ...(canRecord
            ? [
                {
                  title: t('cases.fee.actions'),
                  key: 'actions',
                  render: (_: unknown, f: CaseFeeView) =>
                    f.voidedAt ? null : (
                      <Button size="small" danger onClick={() => setVoiding(f)} data-testid="fee-void">
                        {t('cases.fee.void')}
                      </Button>
                    ),
                },
              ]
            : []),
        ]}
        summary={() =>
          detail.fees.length > 0 ? (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0} colSpan={canRecord ? 8 : 7}>
                <Typography.Text strong data-testid="case-fee-total">
                  {t('cases.fee.total', { amount: total(detail.fees) })}
                </Typography.Text>
                {anyVoided && <Typography.Text type="secondary">（{t('cases.fee.totalNote')}）</Typography.Text>}
              </Table.Summary.Cell>
            </Table.Summary.Row>
          ) : null
        }
      />
      {voiding && (
        <VoidFeeModal
          detail={detail}
          fee={voiding}
          items={items}
          onCancel={() => setVoiding(undefined)}
          onDone={(d) => {
            setVoiding(undefined);
            onChange(d);
          }}
        />
      )}
      {canRecord && (
        <Form<FeeForm>
          form={form}
          layout="vertical"
          onFinish={(values) => void submit(values)}
          data-testid="case-fee-form"
          style={{ maxWidth: 640 }}
        >
          <Typography.Title level={5}>{t('cases.fee.record')}</Typography.Title>
          <FeeFormItems form={form} items={items} testId="fee" />
          {unmatched.length > 0 && <Alert type="error" showIcon message={unmatched.join('；')} />}
          <Button type="primary" htmlType="submit" loading={busy} data-testid="fee-submit">
            {t('cases.fee.record')}
          </Button>
        </Form>
      )}
    </Space>
  );
}
