import { useMemo, useState } from 'react';
import { Alert, App, Button, Card, Input, Modal, Select, Space, Typography } from 'antd';
import { instancePath, operateInstance, type InstanceDetail, type InstanceOperation } from '../../api/workflow.ts';
import { useQuery } from '../../hooks/useQuery.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { errorText } from '../../lib/error-text.ts';

const bpmnNs = 'http://www.omg.org/spec/BPMN/20100524/MODEL';
const order: InstanceOperation[] = ['suspend', 'resume', 'jump', 'terminate'];

/** The steps one could jump to: the user tasks named in the diagram (display only; the server judges). */
function userTasksOf(xml: string | undefined): Array<{ value: string; label: string }> {
  if (!xml) return [];
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  return Array.from(doc.getElementsByTagNameNS(bpmnNs, 'userTask')).map((node) => {
    const id = node.getAttribute('id') ?? '';
    const name = node.getAttribute('name');
    return { value: id, label: name ? `${name}（${id}）` : id };
  });
}

/**
 * Administration of the whole case (挂起/恢复/跳转/终止, audited by the server): shown only when
 * GET /workflow/instances/{id} lists operations for the caller, with a reason for each.
 */
export function InstanceAdmin({
  instanceId,
  xml,
  onDone,
}: {
  instanceId: string;
  xml: string | undefined;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const instance = useQuery<InstanceDetail>(instancePath(instanceId));
  const [asking, setAsking] = useState<InstanceOperation | undefined>(undefined);
  const [reason, setReason] = useState('');
  const [target, setTarget] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const targets = useMemo(() => userTasksOf(xml), [xml]);
  const operations = order.filter((op) => instance.data?.operations.includes(op));
  if (operations.length === 0) return null;

  async function submit(operation: InstanceOperation) {
    setBusy(true);
    try {
      await operateInstance(instanceId, operation, {
        ...(reason.trim() ? { reason: reason.trim() } : {}),
        ...(operation === 'jump' && target ? { target } : {}),
      });
      void message.success(t('instance.operationDone', { operation: t(`instanceOperation.${operation}`) }));
      setAsking(undefined);
      setReason('');
      instance.reload();
      onDone();
    } catch (error) {
      void message.error(errorText(error, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title={t('instance.admin')} data-testid="instance-admin">
      <Typography.Paragraph type="secondary">{t('instance.adminHint')}</Typography.Paragraph>
      <Space wrap>
        {operations.map((operation) => (
          <Button
            key={operation}
            danger={operation === 'terminate'}
            onClick={() => setAsking(operation)}
            data-testid={`instance-op-${operation}`}
          >
            {t(`instanceOperation.${operation}`)}
          </Button>
        ))}
      </Space>
      {asking && (
        <Modal
          open
          title={t(`instanceOperation.${asking}`)}
          okText={t('common.ok')}
          cancelText={t('common.cancel')}
          okButtonProps={{
            danger: asking === 'terminate',
            disabled: reason.trim() === '' || (asking === 'jump' && !target),
            'data-testid': 'instance-op-submit',
          }}
          confirmLoading={busy}
          onOk={() => void submit(asking)}
          onCancel={() => setAsking(undefined)}
        >
          {asking === 'terminate' && (
            <Alert type="warning" showIcon message={t('instance.terminateWarning')} style={{ marginBottom: 12 }} />
          )}
          {asking === 'jump' && (
            <Select
              value={target}
              onChange={setTarget}
              options={targets}
              placeholder={t('instance.jumpTarget')}
              style={{ width: '100%', marginBottom: 12 }}
            />
          )}
          <Input.TextArea
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            rows={3}
            maxLength={2000}
            placeholder={t('instance.reason')}
            data-testid="instance-op-reason"
          />
        </Modal>
      )}
    </Card>
  );
}
