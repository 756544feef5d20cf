import { useState } from 'react';
import { Alert, App, Button, Checkbox, Form, Input, Modal, Popconfirm, Space, Typography } from 'antd';
import {
  CheckOutlined,
  CloseOutlined,
  DownloadOutlined,
  FileSearchOutlined,
  InboxOutlined,
  ThunderboltOutlined,
} from '@ant-design/icons';
import {
  acceptCase,
  archiveCase,
  caseArchiveUrl,
  expediteCase,
  refuseCase,
  requestSupplement,
  type CaseActionResponse,
  type CaseDetail,
} from '../../api/cases.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { errorText } from '../../lib/error-text.ts';
import { UserPicker } from './UserPicker.tsx';

type Dialog = 'accept' | 'requestSupplement' | 'refuse' | 'expedite';

/** The case number and query code, shown once after acceptance. */
function AcceptedDialog({ answer, onClose }: { answer: CaseActionResponse; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Modal
      open
      title={t('cases.accepted.title')}
      onOk={onClose}
      onCancel={onClose}
      cancelButtonProps={{ style: { display: 'none' } }}
      okText={t('common.ok')}
      data-testid="accepted-dialog"
    >
      <Space direction="vertical" size={12} style={{ width: '100%' }}>
        <div>
          <Typography.Text type="secondary">{t('cases.caseNumber')}</Typography.Text>
          <Typography.Title level={4} copyable style={{ margin: 0 }} data-testid="accepted-case-number">
            {answer.case.caseNumber}
          </Typography.Title>
        </div>
        {answer.queryCode && (
          <div>
            <Typography.Text type="secondary">{t('cases.queryCode')}</Typography.Text>
            <Typography.Title
              level={3}
              copyable
              style={{ margin: 0, fontFamily: 'monospace', letterSpacing: 4 }}
              data-testid="accepted-query-code"
            >
              {answer.queryCode}
            </Typography.Title>
          </div>
        )}
        <Alert type="info" showIcon message={t('cases.accepted.hint')} />
      </Space>
    </Modal>
  );
}

/**
 * The case actions the server lists in `actions[]` (受理, 补正, 不予受理, 特事特办, 归档), each
 * with what it needs; the archive ZIP once archived. Nothing here decides what is allowed.
 */
export function CaseActions({ detail, onChange }: { detail: CaseDetail; onChange: (detail: CaseDetail) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [dialog, setDialog] = useState<Dialog | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [accepted, setAccepted] = useState<CaseActionResponse | undefined>(undefined);
  const [expediteAtAccept, setExpediteAtAccept] = useState(false);
  const [tracker, setTracker] = useState<number | undefined>(undefined);
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState<string[]>([]);
  const [messages, setMessages] = useState<string[]>(['']);
  const [note, setNote] = useState('');
  const actions = detail.actions;
  const has = (a: (typeof actions)[number]) => actions.includes(a);

  function open(which: Dialog) {
    setTracker(undefined);
    setReason('');
    setMissing([]);
    setMessages(['']);
    setNote('');
    setExpediteAtAccept(false);
    setDialog(which);
  }

  async function run(work: () => Promise<CaseActionResponse>, done: string) {
    setBusy(true);
    try {
      const answer = await work();
      onChange(answer.case);
      setDialog(undefined);
      void message.success(done);
      return answer;
    } catch (error) {
      void message.error(errorText(error, t));
      return undefined;
    } finally {
      setBusy(false);
    }
  }

  const supplementItems = [
    ...missing.map((key) => ({
      materialKey: key,
      message: t('cases.supplement.materialMessage', {
        name: detail.materials.find((m) => m.key === key)?.name ?? key,
      }),
    })),
    ...messages
      .map((m) => m.trim())
      .filter(Boolean)
      .map((m) => ({ message: m })),
  ];

  const buttons = [
    has('accept') && (
      <Button
        key="accept"
        type="primary"
        icon={<CheckOutlined />}
        onClick={() => open('accept')}
        data-testid="action-accept"
      >
        {t('cases.action.accept')}
      </Button>
    ),
    has('requestSupplement') && (
      <Button
        key="requestSupplement"
        icon={<FileSearchOutlined />}
        onClick={() => open('requestSupplement')}
        data-testid="action-requestSupplement"
      >
        {t('cases.action.requestSupplement')}
      </Button>
    ),
    has('refuse') && (
      <Button key="refuse" danger icon={<CloseOutlined />} onClick={() => open('refuse')} data-testid="action-refuse">
        {t('cases.action.refuse')}
      </Button>
    ),
    has('expedite') && (
      <Button
        key="expedite"
        icon={<ThunderboltOutlined />}
        onClick={() => open('expedite')}
        data-testid="action-expedite"
      >
        {t('cases.action.expedite')}
      </Button>
    ),
    has('archive') && (
      <Popconfirm
        key="archive"
        title={t('cases.archive.confirm')}
        okText={t('common.ok')}
        cancelText={t('common.cancel')}
        onConfirm={() => void run(() => archiveCase(detail.id, detail.version), t('cases.archive.done'))}
      >
        <Button icon={<InboxOutlined />} loading={busy} data-testid="action-archive">
          {t('cases.action.archive')}
        </Button>
      </Popconfirm>
    ),
    detail.status === 'archived' && (
      <Button key="zip" icon={<DownloadOutlined />} href={caseArchiveUrl(detail.id)} data-testid="archive-download">
        {t('cases.archive.download')}
      </Button>
    ),
  ].filter(Boolean);

  if (buttons.length === 0 && !accepted) return null;

  return (
    <>
      <Space wrap data-testid="case-actions">
        {buttons}
      </Space>
      {dialog === 'accept' && (
        <Modal
          open
          title={t('cases.action.accept')}
          okText={t('cases.action.accept')}
          cancelText={t('common.cancel')}
          confirmLoading={busy}
          okButtonProps={{ disabled: expediteAtAccept && tracker === undefined, 'data-testid': 'accept-submit' }}
          onCancel={() => setDialog(undefined)}
          onOk={() =>
            void run(
              () =>
                acceptCase(detail.id, {
                  version: detail.version,
                  ...(expediteAtAccept && tracker !== undefined ? { expediteTrackerId: tracker } : {}),
                }),
              t('cases.accepted.title'),
            ).then((answer) => answer && setAccepted(answer))
          }
        >
          <Space direction="vertical" style={{ width: '100%' }}>
            <Typography.Paragraph>{t('cases.accept.hint')}</Typography.Paragraph>
            <Checkbox
              checked={expediteAtAccept}
              onChange={(e) => setExpediteAtAccept(e.target.checked)}
              data-testid="accept-expedite"
            >
              {t('cases.accept.expedite')}
            </Checkbox>
            {expediteAtAccept && (
              <Form.Item label={t('cases.tracker')} required style={{ marginBottom: 0 }}>
                <UserPicker value={tracker} onChange={setTracker} />
              </Form.Item>
            )}
          </Space>
        </Modal>
      )}
      {dialog === 'requestSupplement' && (
        <Modal
          open
          width="min(720px, 96vw)"
          title={t('cases.action.requestSupplement')}
          okText={t('cases.supplement.send')}
          cancelText={t('common.cancel')}
          confirmLoading={busy}
          okButtonProps={{ disabled: supplementItems.length === 0, 'data-testid': 'supplement-submit' }}
          onCancel={() => setDialog(undefined)}
          onOk={() =>
            void run(
              () =>
                requestSupplement(detail.id, {
                  version: detail.version,
                  items: supplementItems,
                  ...(note.trim() ? { note: note.trim() } : {}),
                }),
              t('cases.supplement.sent'),
            )
          }
        >
          <Space direction="vertical" style={{ width: '100%' }} data-testid="supplement-form">
            <Typography.Text>{t('cases.supplement.pick')}</Typography.Text>
            <Checkbox.Group
              value={missing}
              onChange={(v) => setMissing(v)}
              style={{ display: 'flex', flexDirection: 'column', gap: 6 }}
              options={detail.materials.map((m) => ({
                value: m.key,
                label: `${m.name}${m.files.length === 0 ? ` — ${t('cases.supplement.noFile')}` : ''}`,
              }))}
              data-testid="supplement-materials"
            />
            <Typography.Text>{t('cases.supplement.messages')}</Typography.Text>
            {messages.map((value, i) => (
              <Input
                key={i}
                value={value}
                maxLength={500}
                placeholder={t('cases.supplement.messagePlaceholder')}
                onChange={(e) => setMessages(messages.map((m, j) => (j === i ? e.target.value : m)))}
                data-testid="supplement-message"
              />
            ))}
            <Button size="small" onClick={() => setMessages([...messages, ''])}>
              {t('cases.supplement.addMessage')}
            </Button>
            <Input.TextArea
              rows={2}
              value={note}
              maxLength={2000}
              placeholder={t('cases.supplement.note')}
              onChange={(e) => setNote(e.target.value)}
            />
            <Alert type="info" showIcon message={t('cases.supplement.oneList', { n: supplementItems.length })} />
          </Space>
        </Modal>
      )}
      {dialog === 'refuse' && (
        <Modal
          open
          title={t('cases.action.refuse')}
          okText={t('cases.action.refuse')}
          okButtonProps={{ danger: true, disabled: reason.trim() === '', 'data-testid': 'refuse-submit' }}
          cancelText={t('common.cancel')}
          confirmLoading={busy}
          onCancel={() => setDialog(undefined)}
          onOk={() =>
            void run(
              () => refuseCase(detail.id, { version: detail.version, reason: reason.trim() }),
              t('cases.refused'),
            )
          }
        >
          <Form layout="vertical">
            <Form.Item label={t('cases.refuse.reason')} required>
              <Input.TextArea
                rows={4}
                maxLength={4000}
                showCount
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                data-testid="refuse-reason"
              />
            </Form.Item>
          </Form>
        </Modal>
      )}
      {dialog === 'expedite' && (
        <Modal
          open
          title={t('cases.action.expedite')}
          okText={t('common.ok')}
          cancelText={t('common.cancel')}
          confirmLoading={busy}
          okButtonProps={{
            disabled: tracker === undefined || reason.trim() === '',
            'data-testid': 'expedite-submit',
          }}
          onCancel={() => setDialog(undefined)}
          onOk={() =>
            tracker !== undefined &&
            void run(
              () => expediteCase(detail.id, { version: detail.version, trackerId: tracker, reason: reason.trim() }),
              t('cases.expedite.done'),
            )
          }
        >
          <Form layout="vertical">
            <Form.Item label={t('cases.tracker')} required>
              <UserPicker value={tracker} onChange={setTracker} />
            </Form.Item>
            <Form.Item label={t('cases.expedite.reason')} required>
              <Input.TextArea
                rows={3}
                maxLength={2000}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                data-testid="expedite-reason"
              />
            </Form.Item>
          </Form>
        </Modal>
      )}
      {accepted && <AcceptedDialog answer={accepted} onClose={() => setAccepted(undefined)} />}
    </>
  );
}
