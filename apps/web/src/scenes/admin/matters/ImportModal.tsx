import { useState } from 'react';
import { Alert, App as AntApp, Button, Checkbox, Input, Modal, Space, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { ApiError } from '../../../api/client.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { importMatters } from './api.ts';

/**
 * Import (or, with `initial`, edit a draft as) matter YAML. The server's problems are listed
 * with their line numbers; a bad file changes nothing.
 */
export function ImportModal({
  open,
  title,
  hint,
  initial = '',
  allowPublish = true,
  onClose,
  onDone,
}: {
  open: boolean;
  title: string;
  hint: string;
  initial?: string;
  allowPublish?: boolean;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [text, setText] = useState(initial);
  const [publish, setPublish] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const answer = await importMatters(text, allowPublish && publish);
      void message.success(allowPublish ? t('matters.importDone', { n: answer.items.length }) : t('matters.saved'));
      onDone();
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };

  const details = error instanceof ApiError ? error.details : [];
  return (
    <Modal
      open={open}
      title={title}
      width={860}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={allowPublish ? t('matters.import') : t('common.save')}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{hint}</Typography.Paragraph>
      <Space style={{ marginBottom: 8 }}>
        <Upload
          accept=".yaml,.yml,text/yaml"
          showUploadList={false}
          beforeUpload={(file) => {
            void file.text().then(setText);
            return false; // read in the browser, never uploaded anywhere
          }}
        >
          <Button icon={<UploadOutlined />}>{t('matters.chooseFile')}</Button>
        </Upload>
        {allowPublish && (
          <Checkbox checked={publish} onChange={(e) => setPublish(e.target.checked)}>
            {t('matters.publishNow')}
          </Checkbox>
        )}
      </Space>
      <Input.TextArea
        value={text}
        onChange={(e) => setText(e.target.value)}
        rows={18}
        spellCheck={false}
        style={{ fontFamily: 'monospace' }}
        aria-label="YAML"
      />
      {error !== undefined && (
        <div style={{ marginTop: 8 }}>
          <ErrorAlert error={error} />
          {details.length > 0 && (
            <Alert
              type="error"
              style={{ marginTop: 8 }}
              message={
                <ul style={{ margin: 0 }} data-testid="import-problems">
                  {details.map((d, i) => (
                    <li key={i}>
                      {d.line !== undefined && `${t('matters.line', { line: d.line })}：`}
                      {d.path} {d.message}
                    </li>
                  ))}
                </ul>
              }
            />
          )}
        </div>
      )}
    </Modal>
  );
}
