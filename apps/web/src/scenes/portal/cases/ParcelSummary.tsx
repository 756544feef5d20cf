import { Alert, Card, Descriptions, Space, Table, Tag, Typography } from 'antd';
import type { CaseAnalysis, CaseParcel } from '@guotu/contracts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';

const ha = (m2: number) => (m2 / 10_000).toFixed(4);
const m2 = (value: number) => value.toLocaleString('zh-CN', { maximumFractionDigits: 2 });

/** 地块: every parcel of the coordinate file with its computed area against the declared one, and the overlay result. */
export function ParcelSummary({
  parcel,
  analysis,
  declaredHa,
}: {
  parcel: CaseParcel | null;
  analysis: CaseAnalysis | null;
  /** the form's total area in hectares, when the matter has one */
  declaredHa: number | null;
}) {
  const { t } = useI18n();
  if (!parcel && !analysis) return null;
  return (
    <Card title={t('pc.parcel.title')} data-testid="case-parcel">
      {parcel && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Descriptions size="small" column={{ xs: 1, md: 3 }}>
            <Descriptions.Item label={t('pc.parcel.count')}>{parcel.parcels.length}</Descriptions.Item>
            <Descriptions.Item label={t('pc.parcel.total')}>
              <span data-testid="parcel-total">
                {m2(parcel.totalAreaM2)} m²（{ha(parcel.totalAreaM2)} {t('pc.parcel.ha')}）
              </span>
            </Descriptions.Item>
            {declaredHa !== null && (
              <Descriptions.Item label={t('pc.parcel.formTotal')}>
                {declaredHa} {t('pc.parcel.ha')}
              </Descriptions.Item>
            )}
            {parcel.crs && <Descriptions.Item label={t('pc.parcel.crs')}>{parcel.crs}</Descriptions.Item>}
          </Descriptions>
          <Table
            size="small"
            rowKey={(p) => `${p.no}-${p.name ?? ''}`}
            pagination={false}
            scroll={{ x: 480 }}
            dataSource={parcel.parcels}
            columns={[
              { title: t('pc.parcel.no'), dataIndex: 'no', width: 80 },
              { title: t('pc.parcel.name'), dataIndex: 'name', render: (v: string | null) => v || '—' },
              {
                title: t('pc.parcel.computed'),
                dataIndex: 'areaM2',
                align: 'right',
                render: (v: number) => `${m2(v)} m²`,
              },
              {
                title: t('pc.parcel.declared'),
                dataIndex: 'declaredArea',
                align: 'right',
                render: (v: number | null) => (v === null ? t('pc.parcel.notDeclared') : `${m2(v)} m²`),
              },
            ]}
          />
          {parcel.errors.map((p, i) => (
            <Alert
              key={`e${i}`}
              type="error"
              showIcon
              message={`${p.line !== null ? t('pc.problem.line', { n: p.line }) : ''}${p.message}`}
            />
          ))}
          {parcel.warnings.map((p, i) => (
            <Alert
              key={`w${i}`}
              type="warning"
              showIcon
              message={`${p.line !== null ? t('pc.problem.line', { n: p.line }) : ''}${p.message}`}
            />
          ))}
        </Space>
      )}
      {analysis && (
        <div style={{ marginTop: parcel ? 16 : 0 }} data-testid="case-analysis">
          <Typography.Title level={5}>{t('pc.analysis.title')}</Typography.Title>
          {analysis.flags.length > 0 && (
            <Space wrap style={{ marginBottom: 8 }}>
              {analysis.flags.map((flag) => (
                <Tag key={flag} color="volcano">
                  {flag}
                </Tag>
              ))}
            </Space>
          )}
          {analysis.approvalAuthority && (
            <Typography.Paragraph>
              {t('pc.analysis.authority')}：{analysis.approvalAuthority}
            </Typography.Paragraph>
          )}
          <Table
            size="small"
            rowKey="layerId"
            pagination={false}
            scroll={{ x: 480 }}
            dataSource={analysis.layers}
            columns={[
              { title: t('pc.analysis.layer'), dataIndex: 'layerName' },
              {
                title: t('pc.analysis.overlap'),
                dataIndex: 'overlapM2',
                align: 'right',
                render: (v: number) => `${m2(v)} m²`,
              },
              {
                title: t('pc.analysis.byClass'),
                key: 'byClass',
                render: (_: unknown, layer) =>
                  layer.byClass.map((c) => `${c.class} ${m2(c.areaM2)} m²`).join('；') || '—',
              },
            ]}
          />
        </div>
      )}
    </Card>
  );
}
