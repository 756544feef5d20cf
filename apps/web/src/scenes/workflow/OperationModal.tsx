import { useState } from 'react';
import { Checkbox, Input, Modal, Select, Typography } from 'antd';
import type { TaskDetail, TaskOperation, TaskOperationRequest } from '../../api/workflow.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';

export type OperationInput = 'target' | 'user' | 'recipients';

interface Props {
  operation: TaskOperation;
  input: OperationInput;
  returnTargets: TaskDetail['returnTargets'];
  busy: boolean;
  onCancel: () => void;
  onSubmit: (extra: TaskOperationRequest) => void;
}

/**
 * What an operation needs besides the opinion: the return target (only the server's legal
 * `returnTargets`), a username (transfer, delegate, add/remove signer) or recipients (circulate:
 * told in-app, and by SMS when ticked).
 */
export function OperationModal({ operation, input, returnTargets, busy, onCancel, onSubmit }: Props) {
  const { t } = useI18n();
  const [target, setTarget] = useState<string | undefined>(returnTargets[0]?.node);
  const [user, setUser] = useState('');
  const [recipients, setRecipients] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const [sms, setSms] = useState(false);

  const ready =
    input === 'target' ? target !== undefined : input === 'user' ? user.trim() !== '' : recipients.length > 0;

  function submit() {
    if (input === 'target' && target) onSubmit({ target });
    if (input === 'user') {
      const name = user.trim();
      onSubmit(operation === 'addSigner' || operation === 'removeSigner' ? { signer: name } : { to: name });
    }
    if (input === 'recipients')
      onSubmit({ recipients, ...(note.trim() ? { message: note.trim() } : {}), ...(sms ? { sms: true } : {}) });
  }

  return (
    <Modal
      open
      title={t(`taskOperation.${operation}`)}
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: !ready, 'data-testid': 'operation-submit' }}
      confirmLoading={busy}
      onOk={submit}
      onCancel={onCancel}
      data-testid="operation-modal"
    >
      {input === 'target' &&
        (returnTargets.length === 0 ? (
          <Typography.Text type="secondary">{t('tasks.noReturnTargets')}</Typography.Text>
        ) : (
          <Select
            value={target}
            onChange={setTarget}
            style={{ width: '100%' }}
            options={returnTargets.map((rt) => ({
              value: rt.node,
              label: rt.name ? `${rt.name}（${rt.node}）` : rt.node,
            }))}
            aria-label={t('tasks.returnTarget')}
            data-testid="return-target"
          />
        ))}
      {input === 'user' && (
        <Input
          value={user}
          onChange={(event) => setUser(event.target.value)}
          placeholder={t('tasks.usernamePlaceholder')}
          maxLength={64}
          data-testid="operation-user"
        />
      )}
      {input === 'recipients' && (
        <>
          <Select
            mode="tags"
            value={recipients}
            onChange={setRecipients}
            style={{ width: '100%', marginBottom: 12 }}
            placeholder={t('tasks.recipientsPlaceholder')}
            tokenSeparators={[',', '，', ' ']}
            open={false}
            data-testid="operation-recipients"
          />
          <Input.TextArea
            value={note}
            onChange={(event) => setNote(event.target.value)}
            rows={3}
            maxLength={2000}
            placeholder={t('tasks.circulateMessage')}
          />
          <Checkbox
            checked={sms}
            onChange={(event) => setSms(event.target.checked)}
            style={{ marginTop: 12 }}
            data-testid="operation-sms"
          >
            {t('tasks.circulateSms')}
          </Checkbox>
        </>
      )}
    </Modal>
  );
}
