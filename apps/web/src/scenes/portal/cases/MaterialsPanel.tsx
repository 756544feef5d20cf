import { useCallback, useRef, useState } from 'react';
import { Alert, App, Button, Card, List, Popconfirm, Space, Tag, Typography, Upload } from 'antd';
import { DeleteOutlined, FileZipOutlined, PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import type { CaseDetail, CaseMaterialSlot, CaseProblem } from '@guotu/contracts';
import { ApiError } from '../../../api/client.ts';
import {
  materialFileUrl,
  removeMaterialFile,
  uploadMaterial,
  uploadPackage,
  type PackageReport,
} from '../../../api/cases-portal.ts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { errorText } from '../../../lib/error-text.ts';
import { formatText } from '../guides/format.ts';
import { materialAnchor, mentionsLine } from './problems.ts';

const extensions: Record<string, string[]> = {
  pdf: ['.pdf'],
  ofd: ['.ofd'],
  jpeg: ['.jpg', '.jpeg'],
  png: ['.png'],
  tiff: ['.tif', '.tiff'],
  zip: ['.zip'],
  docx: ['.docx'],
};

/** The file picker's hint; text and coordinate files come with any extension, so no filter then. */
function acceptOf(formats: readonly string[]): string | undefined {
  if (formats.some((f) => !extensions[f])) return undefined;
  return formats.flatMap((f) => extensions[f] ?? []).join(',');
}

type Enqueue = (task: () => Promise<unknown>) => Promise<unknown>;

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** An upload error in words: a refused type names what the server found. */
function uploadError(error: unknown, t: ReturnType<typeof useI18n>['t']): string {
  if (error instanceof ApiError && error.details.length > 0)
    return `${errorText(error, t)}：${error.details.map((d) => d.message).join('；')}`;
  return errorText(error, t);
}

function Slot({
  caseId,
  slot,
  problems,
  editable,
  removableRound,
  onChanged,
  enqueue,
}: {
  enqueue: Enqueue;
  caseId: number;
  slot: CaseMaterialSlot;
  problems: CaseProblem[];
  editable: boolean;
  removableRound: number;
  onChanged: (detail: CaseDetail) => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const missing = slot.required && slot.files.length === 0;

  return (
    <Card
      size="small"
      id={materialAnchor(slot.key)}
      data-testid={`material-${slot.key}`}
      style={{ marginBottom: 8, borderColor: problems.some((p) => p.severity === 'error') ? '#ff7875' : undefined }}
      title={
        <Space wrap size={4} style={{ whiteSpace: 'normal' }}>
          <Typography.Text strong style={{ whiteSpace: 'normal' }}>
            {slot.name}
          </Typography.Text>
          {slot.required ? <Tag color="red">{t('pc.material.required')}</Tag> : <Tag>{t('pc.material.optional')}</Tag>}
          {slot.files.length > 0 && <Tag color="green">{t('pc.material.fileCount', { n: slot.files.length })}</Tag>}
        </Space>
      }
    >
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t('pc.material.formats')}：{slot.formats.map((f) => formatText(t, f)).join('、')}
        {slot.notes ? `；${slot.notes}` : ''}
      </Typography.Paragraph>
      {slot.files.length > 0 && (
        <List
          size="small"
          dataSource={slot.files}
          renderItem={(file) => (
            <List.Item
              actions={
                editable && file.round === removableRound
                  ? [
                      <Popconfirm
                        key="remove"
                        title={t('pc.material.removeConfirm')}
                        onConfirm={() => {
                          removeMaterialFile(caseId, file.id).then(
                            onChanged,
                            (e: unknown) => void message.error(uploadError(e, t)),
                          );
                        }}
                      >
                        <Button
                          size="small"
                          danger
                          type="text"
                          icon={<DeleteOutlined />}
                          aria-label={t('pc.material.remove')}
                        >
                          {t('pc.material.remove')}
                        </Button>
                      </Popconfirm>,
                    ]
                  : []
              }
            >
              <span className="guotu-case-file">
                <PaperClipOutlined />
                <a href={materialFileUrl(caseId, file.id)} target="_blank" rel="noreferrer">
                  {file.originalName}
                </a>
                <Typography.Text type="secondary">
                  {formatText(t, file.detectedType)} · {fileSize(file.size)}
                </Typography.Text>
                {file.round > 0 && <Tag color="orange">{t('pc.material.round', { n: file.round })}</Tag>}
              </span>
            </List.Item>
          )}
        />
      )}
      {problems.map((p, i) => (
        <Alert
          key={i}
          type={p.severity === 'error' ? 'error' : 'warning'}
          showIcon
          style={{ marginTop: 8 }}
          message={
            p.line !== undefined && !mentionsLine(p) ? `${t('pc.problem.line', { n: p.line })}${p.message}` : p.message
          }
        />
      ))}
      {error && (
        <Alert type="error" showIcon closable style={{ marginTop: 8 }} message={error} onClose={() => setError(null)} />
      )}
      {editable && (
        <Upload
          multiple
          accept={acceptOf(slot.formats)}
          showUploadList={false}
          customRequest={({ file }) => {
            setBusy(true);
            setError(null);
            void enqueue(() =>
              uploadMaterial(caseId, slot.key, file as File)
                .then(onChanged, (e: unknown) => setError(uploadError(e, t)))
                .finally(() => setBusy(false)),
            );
          }}
        >
          <Button
            icon={<UploadOutlined />}
            loading={busy}
            type={missing ? 'primary' : 'default'}
            ghost={missing}
            style={{ marginTop: 8 }}
            data-testid={`upload-${slot.key}`}
          >
            {t('pc.material.upload')}
          </Button>
        </Upload>
      )}
    </Card>
  );
}

export function MaterialsPanel({
  detail,
  problems,
  editable,
  onChanged,
}: {
  detail: CaseDetail;
  problems: Map<string, CaseProblem[]>;
  editable: boolean;
  onChanged: (detail: CaseDetail) => void;
}) {
  const { t } = useI18n();
  // uploads run one after another, so the case shown is always the one after the last upload
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const enqueue = useCallback<Enqueue>((task) => {
    const next = queue.current.then(task, task);
    queue.current = next.catch(() => undefined);
    return next;
  }, []);
  const removableRound =
    detail.status === 'supplementRequested' ? Math.max(0, ...detail.supplements.map((s) => s.round)) : 0;
  return (
    <Card title={t('pc.material.title')} data-testid="case-materials">
      {detail.materials.map((slot) => (
        <Slot
          key={slot.key}
          caseId={detail.id}
          slot={slot}
          problems={problems.get(slot.key) ?? []}
          editable={editable}
          removableRound={removableRound}
          onChanged={onChanged}
          enqueue={enqueue}
        />
      ))}
      {editable && (
        <PackageUpload caseId={detail.id} materials={detail.materials} onChanged={onChanged} enqueue={enqueue} />
      )}
    </Card>
  );
}

/** One ZIP for many materials: the server places each entry by folder or name prefix and reports what it could not. */
function PackageUpload({
  caseId,
  materials,
  onChanged,
  enqueue,
}: {
  enqueue: Enqueue;
  caseId: number;
  materials: CaseMaterialSlot[];
  onChanged: (detail: CaseDetail) => void;
}) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<PackageReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const nameOf = (key: string) => materials.find((m) => m.key === key)?.name ?? key;
  return (
    <Card size="small" type="inner" title={t('pc.package.title')} style={{ marginTop: 16 }} data-testid="case-package">
      <Typography.Paragraph type="secondary">{t('pc.package.hint')}</Typography.Paragraph>
      <Upload
        accept=".zip"
        showUploadList={false}
        customRequest={({ file }) => {
          setBusy(true);
          setError(null);
          setReport(null);
          void enqueue(() =>
            uploadPackage(caseId, file as File)
              .then(
                (answer) => {
                  setReport(answer);
                  onChanged(answer.case);
                },
                (e: unknown) => setError(uploadError(e, t)),
              )
              .finally(() => setBusy(false)),
          );
        }}
      >
        <Button icon={<FileZipOutlined />} loading={busy} data-testid="upload-package">
          {t('pc.package.upload')}
        </Button>
      </Upload>
      {error && <Alert type="error" showIcon style={{ marginTop: 8 }} message={error} />}
      {report && (
        <div style={{ marginTop: 12 }} data-testid="package-report">
          <Typography.Text strong>{t('pc.package.placed', { n: report.placed.length })}</Typography.Text>
          <ul>
            {report.placed.map((p) => (
              <li key={p.entry}>
                {p.entry} → {nameOf(p.materialKey)}
              </li>
            ))}
          </ul>
          {report.unplaced.length > 0 && (
            <Alert
              type="warning"
              showIcon
              message={t('pc.package.unplaced', { n: report.unplaced.length })}
              description={
                <ul style={{ margin: 0, paddingLeft: 18 }}>
                  {report.unplaced.map((u) => (
                    <li key={u.entry}>
                      {u.entry}：{u.reason}
                    </li>
                  ))}
                </ul>
              }
            />
          )}
        </div>
      )}
    </Card>
  );
}
