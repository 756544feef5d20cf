import { useEffect, useState } from 'react';
import { App, Button, Empty, List, Modal, Popconfirm, Space, Spin, Tag, Typography, Upload } from 'antd';
import { DeleteOutlined, DownloadOutlined, EyeOutlined, UploadOutlined } from '@ant-design/icons';
import {
  caseFileUrl,
  deleteMaterial,
  fileObjectUrl,
  uploadMaterial,
  type CaseDetail,
  type CaseMaterialFile,
  type CaseMaterialSlot,
} from '../../api/cases.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { formatInstant } from '../../lib/dates.ts';
import { errorText } from '../../lib/error-text.ts';

const inlineImages = new Set(['jpeg', 'jpg', 'png', 'gif', 'webp']);
const previewable = (file: CaseMaterialFile) => file.detectedType === 'pdf' || inlineImages.has(file.detectedType);

const sizeText = (bytes: number) =>
  bytes < 1024
    ? `${bytes} B`
    : bytes < 1024 * 1024
      ? `${(bytes / 1024).toFixed(1)} KB`
      : `${(bytes / 1048576).toFixed(1)} MB`;

const mimeOf: Record<string, string> = {
  pdf: 'application/pdf',
  jpeg: 'image/jpeg',
  jpg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
};

/** A PDF or an image, inline: fetched as a blob (the server sends files as attachments). */
function Preview({ caseId, file, onClose }: { caseId: number; file: CaseMaterialFile; onClose: () => void }) {
  const { t } = useI18n();
  const url = caseFileUrl(caseId, file.id);
  const [objectUrl, setObjectUrl] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  useEffect(() => {
    let made: string | undefined;
    let cancelled = false;
    fileObjectUrl(url, mimeOf[file.detectedType] ?? 'application/octet-stream')
      .then((u) => {
        made = u;
        if (cancelled) URL.revokeObjectURL(u);
        else setObjectUrl(u);
      })
      .catch((e: unknown) => {
        if (!cancelled) setError(e);
      });
    return () => {
      cancelled = true;
      if (made) URL.revokeObjectURL(made);
    };
  }, [url, file.detectedType]);
  return (
    <Modal
      open
      title={file.originalName}
      footer={
        <Button href={url} icon={<DownloadOutlined />}>
          {t('cases.download')}
        </Button>
      }
      onCancel={onClose}
      width="min(960px, 96vw)"
      data-testid="material-preview"
    >
      {error !== undefined && <ErrorAlert error={error} />}
      {!objectUrl && error === undefined && <Spin />}
      {objectUrl &&
        (file.detectedType === 'pdf' ? (
          <iframe
            src={objectUrl}
            title={file.originalName}
            style={{ width: '100%', height: '70vh', border: 0 }}
            data-testid="preview-pdf"
          />
        ) : (
          <img src={objectUrl} alt={file.originalName} style={{ maxWidth: '100%' }} data-testid="preview-image" />
        ))}
    </Modal>
  );
}

/**
 * The matter's materials, one row per material with its files (round, type, size). Editable on
 * a draft or a 补正: upload per material and delete; otherwise preview and download.
 */
export function MaterialsPanel({
  detail,
  editable,
  onChange,
  highlight,
}: {
  detail: CaseDetail;
  editable: boolean;
  onChange?: (detail: CaseDetail) => void;
  /** material keys asked for in the open supplement request */
  highlight?: ReadonlySet<string>;
}) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | undefined>(undefined);
  const [preview, setPreview] = useState<CaseMaterialFile | undefined>(undefined);

  async function upload(slot: CaseMaterialSlot, file: File) {
    setBusy(slot.key);
    try {
      onChange?.(await uploadMaterial(detail.id, slot.key, file));
      void message.success(t('cases.material.uploaded', { name: file.name }));
    } catch (error) {
      void message.error(errorText(error, t));
    } finally {
      setBusy(undefined);
    }
  }

  async function remove(file: CaseMaterialFile) {
    setBusy(file.materialKey);
    try {
      onChange?.(await deleteMaterial(detail.id, file.id));
    } catch (error) {
      void message.error(errorText(error, t));
    } finally {
      setBusy(undefined);
    }
  }

  const problemsOf = (key: string) => detail.problems.filter((p) => p.materialKey === key);

  return (
    <>
      <List<CaseMaterialSlot>
        dataSource={detail.materials}
        locale={{ emptyText: <Empty description={t('cases.material.none')} /> }}
        data-testid="materials"
        renderItem={(slot) => {
          const problems = problemsOf(slot.key);
          return (
            <List.Item
              key={slot.key}
              data-testid={`material-${slot.key}`}
              style={{ display: 'block', background: highlight?.has(slot.key) ? '#fff7e6' : undefined }}
            >
              <Space direction="vertical" size={4} style={{ width: '100%' }}>
                <Space wrap>
                  <Typography.Text strong>{slot.name}</Typography.Text>
                  {slot.required ? (
                    <Tag color="red">{t('cases.material.required')}</Tag>
                  ) : (
                    <Tag>{t('cases.material.optional')}</Tag>
                  )}
                  <Typography.Text type="secondary">{slot.formats.join(' / ')}</Typography.Text>
                  {highlight?.has(slot.key) && <Tag color="orange">{t('cases.material.asked')}</Tag>}
                </Space>
                {slot.notes && <Typography.Text type="secondary">{slot.notes}</Typography.Text>}
                {slot.files.map((file) => (
                  <Space key={file.id} wrap data-testid="material-file">
                    <Typography.Text>{file.originalName}</Typography.Text>
                    <Tag>{file.detectedType}</Tag>
                    <Typography.Text type="secondary">
                      {sizeText(file.size)} · {t('cases.material.round', { n: file.round })} ·{' '}
                      {formatInstant(file.addedAt, locale)}
                    </Typography.Text>
                    {previewable(file) ? (
                      <Button
                        size="small"
                        icon={<EyeOutlined />}
                        onClick={() => setPreview(file)}
                        data-testid="material-preview-open"
                      >
                        {t('cases.material.preview')}
                      </Button>
                    ) : (
                      <Button size="small" icon={<DownloadOutlined />} href={caseFileUrl(detail.id, file.id)}>
                        {t('cases.download')}
                      </Button>
                    )}
                    {editable && (
                      <Popconfirm title={t('cases.material.confirmDelete')} onConfirm={() => void remove(file)}>
                        <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                      </Popconfirm>
                    )}
                  </Space>
                ))}
                {problems.map((p, i) => (
                  <Typography.Text
                    key={`${p.code}-${i}`}
                    type={p.severity === 'error' ? 'danger' : 'warning'}
                    data-testid="material-problem"
                  >
                    {p.line ? `${t('cases.problem.line', { line: p.line })} ` : ''}
                    {p.message}
                  </Typography.Text>
                ))}
                {editable && (
                  <Upload
                    showUploadList={false}
                    beforeUpload={(file) => {
                      void upload(slot, file);
                      return false;
                    }}
                  >
                    <Button
                      size="small"
                      icon={<UploadOutlined />}
                      loading={busy === slot.key}
                      data-testid={`upload-${slot.key}`}
                    >
                      {t('cases.material.upload')}
                    </Button>
                  </Upload>
                )}
              </Space>
            </List.Item>
          );
        }}
      />
      {preview && <Preview caseId={detail.id} file={preview} onClose={() => setPreview(undefined)} />}
    </>
  );
}
