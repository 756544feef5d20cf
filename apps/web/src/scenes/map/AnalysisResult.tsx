import { Alert, Space, Table, Tag } from 'antd';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import type { Analysis, LayerKind } from './api.ts';
import { kindColours } from './styles.ts';

interface Row {
  key: string;
  layer: string;
  kind: LayerKind;
  classCode: string;
  areaM2: number;
  pieces: number;
}

const MU_PER_M2 = 1 / 666.667; // 1 亩 = 10000/15 m²
const fmt = (v: number, digits = 2) =>
  v.toLocaleString('zh-CN', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The table of overlapped areas by layer and class, the flags and the approval level. */
export function AnalysisResult({ analysis }: { analysis: Analysis }) {
  const { t } = useI18n();
  const rows: Row[] = analysis.layers.flatMap((l) =>
    l.byClass.map((c) => ({
      key: `${l.layerId}:${c.classCode}`,
      layer: l.name,
      kind: l.kind,
      classCode: c.classCode || '—',
      areaM2: c.areaM2,
      pieces: c.features.length,
    })),
  );
  const parcelArea = analysis.parcel.areaM2;
  const level = analysis.assessment.approvalLevel;
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="analysis-result">
      <Alert
        type={level === 'stateCouncil' ? 'warning' : 'info'}
        showIcon
        data-testid="approval-level"
        message={t(level === 'stateCouncil' ? 'map.approval.stateCouncil' : 'map.approval.province')}
        description={
          analysis.assessment.flags.length > 0 ? (
            <Space wrap>
              {analysis.assessment.flags.map((f) => (
                <Tag key={f.code} color="red" data-testid={`flag-${f.code}`}>
                  {t(`map.flag.${f.code}`)} {fmt(f.areaM2)} m²
                </Tag>
              ))}
            </Space>
          ) : (
            t('map.noFlags')
          )
        }
      />
      <Table<Row>
        size="small"
        data-testid="overlap-table"
        pagination={false}
        dataSource={rows}
        locale={{ emptyText: t('map.noOverlap') }}
        columns={[
          {
            title: t('map.col.layer'),
            dataIndex: 'layer',
            render: (v: string, r) => <Tag color={kindColours[r.kind]}>{v}</Tag>,
          },
          { title: t('map.col.class'), dataIndex: 'classCode' },
          { title: t('map.col.area'), dataIndex: 'areaM2', align: 'right', render: (v: number) => fmt(v) },
          {
            title: t('map.col.mu'),
            dataIndex: 'areaM2',
            key: 'mu',
            align: 'right',
            render: (v: number) => fmt(v * MU_PER_M2, 4),
          },
          {
            title: t('map.col.share'),
            dataIndex: 'areaM2',
            key: 'share',
            align: 'right',
            render: (v: number) => (parcelArea > 0 ? `${fmt((100 * v) / parcelArea, 1)}%` : '—'),
          },
          { title: t('map.col.pieces'), dataIndex: 'pieces', align: 'right' },
        ]}
      />
      {analysis.warnings.length > 0 && <Alert type="warning" showIcon message={analysis.warnings.join('；')} />}
    </Space>
  );
}
