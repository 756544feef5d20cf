import { useState } from 'react';
import { Alert, Button, Form, Input, Modal, Progress, Select, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import type { ErrorResponse } from '@guotu/contracts';
import { api, ApiError } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import type { LayerKind } from './api.ts';

const kinds: LayerKind[] = [
  'permanentBasicFarmland',
  'landUsePlan',
  'landUse',
  'miningRight',
  'geohazardZone',
  'ecologicalRedLine',
  'custom',
];

interface ImportReport {
  layer: { id: number; name: string; featureCount: number };
  imported: number;
  repaired: Array<{ index: number; featureId: string; reason: string }>;
}

/** POST /spatial/layers as multipart through XHR, for its upload progress events. */
async function upload(form: FormData, onProgress: (percent: number) => void): Promise<ImportReport> {
  const { csrfToken } = await api<{ csrfToken: string }>('/auth/session');
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1/spatial/layers');
    xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.round((100 * e.loaded) / e.total));
    };
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status === 201) resolve(body as ImportReport);
      else reject(new ApiError(xhr.status, body as ErrorResponse | undefined, xhr.statusText));
    };
    xhr.onerror = () => reject(new ApiError(0, undefined, 'network error'));
    xhr.send(form);
  });
}

/**
 * 导入图层 (map.manage): a shapefile set (.shp .dbf .prj .cpg), GeoJSON or a coordinate file.
 * Shows the upload progress, then what was imported and repaired; the server imports all
 * features or none.
 */
export function ImportLayerModal({
  open,
  onClose,
  onImported,
}: {
  open: boolean;
  onClose: () => void;
  onImported: () => void;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ name: string; kind: LayerKind }>();
  const [files, setFiles] = useState<File[]>([]);
  const [percent, setPercent] = useState<number | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<unknown>(null);

  const submit = async () => {
    const values = await form.validateFields();
    setError(null);
    setReport(null);
    setPercent(0);
    const data = new FormData();
    data.set('name', values.name);
    data.set('kind', values.kind);
    for (const f of files) data.append('file', f, f.name);
    try {
      setReport(await upload(data, setPercent));
      onImported();
    } catch (e) {
      setError(e);
      setPercent(null);
    }
  };

  return (
    <Modal
      open={open}
      title={t('map.import.title')}
      onCancel={onClose}
      destroyOnHidden
      footer={[
        <Button key="close" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button
          key="ok"
          type="primary"
          disabled={files.length === 0}
          loading={percent !== null && !report && !error}
          onClick={() => void submit()}
          data-testid="import-submit"
        >
          {t('map.import.submit')}
        </Button>,
      ]}
    >
      <Form form={form} layout="vertical" initialValues={{ kind: 'landUse' }}>
        <Form.Item name="name" label={t('map.import.name')} rules={[{ required: true, message: t('common.required') }]}>
          <Input maxLength={200} data-testid="import-name" />
        </Form.Item>
        <Form.Item name="kind" label={t('map.import.kind')}>
          <Select options={kinds.map((k) => ({ value: k, label: t(`map.kind.${k}`) }))} />
        </Form.Item>
        <Form.Item label={t('map.import.files')} extra={t('map.import.filesHint')}>
          <Upload
            multiple
            accept=".shp,.dbf,.prj,.cpg,.geojson,.json,.txt"
            fileList={files.map((f, i) => ({ uid: String(i), name: f.name }))}
            beforeUpload={(f) => {
              setFiles((all) => [...all, f]);
              return false;
            }}
            onRemove={(item) => setFiles((all) => all.filter((_, i) => String(i) !== item.uid))}
          >
            <Button icon={<UploadOutlined />} data-testid="import-files">
              {t('map.import.choose')}
            </Button>
          </Upload>
        </Form.Item>
      </Form>
      {percent !== null && <Progress percent={percent} data-testid="import-progress" />}
      {error !== null && <ErrorAlert error={error} />}
      {report && (
        <Alert
          type="success"
          showIcon
          data-testid="import-report"
          message={t('map.import.done', {
            name: report.layer.name,
            n: report.imported,
            repaired: report.repaired.length,
          })}
          description={
            report.repaired.length > 0 ? (
              <Typography.Text>
                {report.repaired
                  .map((r) => t('map.import.repairedOne', { index: r.index + 1, id: r.featureId, reason: r.reason }))
                  .join('；')}
              </Typography.Text>
            ) : undefined
          }
        />
      )}
    </Modal>
  );
}
