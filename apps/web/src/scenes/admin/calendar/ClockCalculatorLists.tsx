import type { ReactNode } from 'react';
import { Button, Card, DatePicker, Form, Input, InputNumber, Select } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { pauseKinds } from '@guotu/domain';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { minuteFormat } from '../../../lib/dates.ts';

/** One entry of a list (a pause, an extension) with its delete button. */
function EntryCard({
  title,
  onRemove,
  testId,
  children,
}: {
  title: string;
  onRemove: () => void;
  testId?: string;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <Card
      size="small"
      className="guotu-calc-entry"
      data-testid={testId}
      extra={
        <Button size="small" type="text" icon={<DeleteOutlined />} aria-label={t('common.delete')} onClick={onRemove} />
      }
      title={title}
    >
      {children}
    </Card>
  );
}

/** Pauses (补正 and the special procedures of 行政许可法 §45); an empty end = still paused. */
export function PausesList() {
  const { t } = useI18n();
  const required = { required: true, message: t('common.required') };
  return (
    <Form.List name="pauses">
      {(items, { add, remove }) => (
        <Form.Item label={t('calc.pauses')}>
          {items.map(({ key, name }) => (
            <EntryCard
              key={key}
              title={t('calc.pauseN', { n: name + 1 })}
              onRemove={() => remove(name)}
              testId="calc-pause"
            >
              <Form.Item name={[name, 'kind']} label={t('calc.pauseKind')} rules={[required]}>
                <Select options={pauseKinds.map((kind) => ({ value: kind, label: t(`pauseKind.${kind}`) }))} />
              </Form.Item>
              <Form.Item name={[name, 'from']} label={t('calc.pauseFrom')} rules={[required]}>
                <DatePicker showTime format={minuteFormat} style={{ width: '100%' }} data-testid="pause-from" />
              </Form.Item>
              <Form.Item name={[name, 'to']} label={t('calc.pauseTo')} extra={t('calc.pauseOpenHint')}>
                <DatePicker showTime format={minuteFormat} style={{ width: '100%' }} data-testid="pause-to" />
              </Form.Item>
              <Form.Item name={[name, 'reason']} label={t('calc.reason')}>
                <Input maxLength={500} data-testid="pause-reason" />
              </Form.Item>
            </EntryCard>
          ))}
          <Button
            type="dashed"
            icon={<PlusOutlined />}
            onClick={() => add({ kind: 'supplement' })}
            block
            data-testid="calc-add-pause"
          >
            {t('calc.addPause')}
          </Button>
        </Form.Item>
      )}
    </Form.List>
  );
}

/** Approved extensions (延期): amount in the clock's unit, approver, reason, approval time. */
export function ExtensionsList() {
  const { t } = useI18n();
  const required = { required: true, message: t('common.required') };
  return (
    <Form.List name="extensions">
      {(items, { add, remove }) => (
        <Form.Item label={t('calc.extensions')}>
          {items.map(({ key, name }) => (
            <EntryCard key={key} title={t('calc.extensionN', { n: name + 1 })} onRemove={() => remove(name)}>
              <Form.Item name={[name, 'amount']} label={t('calc.amount')} rules={[required]}>
                <InputNumber min={1} max={3650} precision={0} style={{ width: '100%' }} />
              </Form.Item>
              <Form.Item
                name={[name, 'approver']}
                label={t('calc.approver')}
                rules={[{ ...required, whitespace: true }]}
              >
                <Input maxLength={100} />
              </Form.Item>
              <Form.Item name={[name, 'at']} label={t('calc.approvedAt')} rules={[required]}>
                <DatePicker showTime format={minuteFormat} style={{ width: '100%' }} />
              </Form.Item>
              <Form.Item name={[name, 'reason']} label={t('calc.reason')}>
                <Input maxLength={500} />
              </Form.Item>
            </EntryCard>
          ))}
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => add()} block data-testid="calc-add-extension">
            {t('calc.addExtension')}
          </Button>
        </Form.Item>
      )}
    </Form.List>
  );
}
