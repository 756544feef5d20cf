import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Checkbox, Col, Empty, Row, Space, Typography, Upload } from 'antd';
import { EditOutlined, ImportOutlined, PlayCircleOutlined, UploadOutlined } from '@ant-design/icons';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useQuery } from '../../hooks/useQuery.ts';
import { useCan } from '../../hooks/useSession.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import {
  analyseFile,
  analyseGeometry,
  checkCoordinateFile,
  fileToBase64,
  type Analysis,
  type FileCheck,
  type Layer,
  type MultiPolygon,
  type Polygon,
} from './api.ts';
import { AnalysisResult } from './AnalysisResult.tsx';
import { ImportLayerModal } from './ImportLayerModal.tsx';
import { OlMap } from './OlMap.tsx';
import { kindColours } from './styles.ts';
import './map.css';

type Subject = { kind: 'file'; name: string; base64: string; check: FileCheck } | { kind: 'drawn'; polygon: Polygon };

/**
 * 图数联动: reference layers on a plain background, a coordinate file uploaded or a parcel drawn,
 * and the overlay analysis — areas by layer and class, the overlaps highlighted, the flags and
 * the 土地管理法 §46 approval level (all computed by the server).
 */
export default function MapPage() {
  const { t } = useI18n();
  const layers = useQuery<Layer[]>('/spatial/layers');
  const [visible, setVisible] = useState<Set<number>>(new Set());
  const [subject, setSubject] = useState<Subject | null>(null);
  const [drawing, setDrawing] = useState(false);
  const [analysis, setAnalysis] = useState<Analysis | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [importing, setImporting] = useState(false);
  const canManage = useCan()('map.manage');

  useEffect(() => {
    if (layers.data) setVisible(new Set(layers.data.map((l) => l.id)));
  }, [layers.data]);

  const upload = useCallback(async (file: File) => {
    setError(null);
    setAnalysis(null);
    setDrawing(false);
    try {
      const base64 = await fileToBase64(file);
      const check = await checkCoordinateFile(base64);
      setSubject({ kind: 'file', name: file.name, base64, check });
    } catch (e) {
      setError(e);
    }
  }, []);

  const run = useCallback(async () => {
    if (!subject) return;
    setBusy(true);
    setError(null);
    try {
      setAnalysis(subject.kind === 'file' ? await analyseFile(subject.base64) : await analyseGeometry(subject.polygon));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }, [subject]);

  const onDrawn = useCallback((polygon: Polygon) => {
    setDrawing(false);
    setAnalysis(null);
    setSubject({ kind: 'drawn', polygon });
  }, []);

  const parcel: MultiPolygon | null = useMemo(() => {
    if (analysis) return analysis.parcel.geometry;
    if (subject?.kind === 'file' && subject.check.geographic) {
      return {
        type: 'MultiPolygon',
        coordinates: subject.check.geographic.features.flatMap((f) => f.geometry.coordinates),
      };
    }
    return null;
  }, [analysis, subject]);

  const overlaps = useMemo(
    () =>
      analysis
        ? analysis.layers.flatMap((l) =>
            l.byClass.flatMap((c) => c.features.map((f) => ({ kind: l.kind, geometry: f.geometry }))),
          )
        : [],
    [analysis],
  );
  const fileErrors = subject?.kind === 'file' ? subject.check.errors : [];

  return (
    <>
      <div className="guotu-page-head">
        <Typography.Title level={3} data-testid="page-title">
          {t('map.title')}
        </Typography.Title>
      </div>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={7}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Card
              size="small"
              title={t('map.layers')}
              data-testid="layer-switcher"
              extra={
                canManage ? (
                  <Button
                    size="small"
                    icon={<ImportOutlined />}
                    onClick={() => setImporting(true)}
                    data-testid="import-open"
                  >
                    {t('map.import.open')}
                  </Button>
                ) : undefined
              }
            >
              {layers.error && <ErrorAlert error={layers.error} onRetry={layers.reload} />}
              {layers.data && layers.data.length === 0 && <Empty description={t('map.noLayers')} />}
              <Space direction="vertical">
                {layers.data?.map((l) => (
                  <Checkbox
                    key={l.id}
                    checked={visible.has(l.id)}
                    data-testid={`layer-${l.id}`}
                    onChange={(e) =>
                      setVisible((v) => {
                        const next = new Set(v);
                        if (e.target.checked) next.add(l.id);
                        else next.delete(l.id);
                        return next;
                      })
                    }
                  >
                    <span className="guotu-map-swatch" style={{ borderColor: kindColours[l.kind] }} /> {l.name}{' '}
                    <Typography.Text type="secondary">{t('map.featureCount', { n: l.featureCount })}</Typography.Text>
                  </Checkbox>
                ))}
              </Space>
            </Card>
            <Card size="small" title={t('map.parcel')}>
              <Space wrap>
                <Upload
                  accept=".txt"
                  showUploadList={false}
                  beforeUpload={(file) => {
                    void upload(file);
                    return false;
                  }}
                >
                  <Button icon={<UploadOutlined />} data-testid="upload-file">
                    {t('map.upload')}
                  </Button>
                </Upload>
                <Button
                  icon={<EditOutlined />}
                  type={drawing ? 'primary' : 'default'}
                  onClick={() => setDrawing((d) => !d)}
                  data-testid="draw-parcel"
                >
                  {t('map.draw')}
                </Button>
                <Button
                  type="primary"
                  icon={<PlayCircleOutlined />}
                  disabled={!subject || fileErrors.length > 0}
                  loading={busy}
                  onClick={() => void run()}
                  data-testid="run-analysis"
                >
                  {t('map.run')}
                </Button>
              </Space>
              {drawing && <Typography.Paragraph type="secondary">{t('map.drawHint')}</Typography.Paragraph>}
              {subject?.kind === 'file' && (
                <Typography.Paragraph data-testid="file-summary" style={{ marginTop: 8 }}>
                  {t('map.fileSummary', {
                    name: subject.name,
                    parcels: subject.check.parcels.length,
                    area: subject.check.parcels.reduce((s, p) => s + p.areaM2, 0).toFixed(2),
                    warnings: subject.check.warnings.length,
                  })}
                </Typography.Paragraph>
              )}
              {subject?.kind === 'drawn' && (
                <Typography.Paragraph style={{ marginTop: 8 }}>{t('map.drawn')}</Typography.Paragraph>
              )}
              {fileErrors.length > 0 && (
                <Alert
                  type="error"
                  showIcon
                  message={fileErrors.map((e) => `${t('map.line', { line: e.line })} ${e.message}`).join('；')}
                />
              )}
              {!subject && (
                <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
                  {t('map.noParcel')}
                </Typography.Paragraph>
              )}
            </Card>
            {error !== null && <ErrorAlert error={error} />}
          </Space>
        </Col>
        <Col xs={24} lg={17}>
          <OlMap
            layers={layers.data ?? []}
            visible={visible}
            parcel={parcel}
            overlaps={overlaps}
            drawing={drawing}
            onDrawn={onDrawn}
          />
        </Col>
      </Row>
      <ImportLayerModal open={importing} onClose={() => setImporting(false)} onImported={layers.reload} />
      {analysis && (
        <Card
          size="small"
          title={t('map.result', { area: analysis.parcel.areaM2.toFixed(2) })}
          style={{ marginTop: 16 }}
        >
          <AnalysisResult analysis={analysis} />
        </Card>
      )}
    </>
  );
}
