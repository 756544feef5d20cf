import { useMemo, useState } from 'react';
import { Alert, Checkbox, Descriptions, Empty, Space, Table, Tag, Typography } from 'antd';
import type { CaseAnalysis, CaseParcel } from '../../api/cases.ts';
import { useQuery } from '../../hooks/useQuery.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import type { MessageKey } from '../../i18n/types.ts';
import { formatInstant } from '../../lib/dates.ts';
import type { Layer, LayerKind, MultiPolygon } from '../map/api.ts';
import { OlMap } from '../map/OlMap.tsx';
import { kindColours } from '../map/styles.ts';
import '../map/map.css';

const flagCodes = [
  'OCCUPIES_PERMANENT_BASIC_FARMLAND',
  'FARMLAND_OVER_35_HA',
  'OTHER_LAND_OVER_70_HA',
  'OVERLAPS_MINING_RIGHT',
  'IN_GEOHAZARD_ZONE',
  'CROSSES_ECOLOGICAL_RED_LINE',
] as const;

/** A flag of the overlay assessment in words; a code this UI does not know is shown as sent. */
export function flagKey(flag: string): MessageKey | undefined {
  return (flagCodes as readonly string[]).includes(flag)
    ? (`map.flag.${flag as (typeof flagCodes)[number]}` as const)
    : undefined;
}

const layerKinds = Object.keys(kindColours) as LayerKind[];
const kindKey = (kind: string): MessageKey | undefined =>
  (layerKinds as string[]).includes(kind) ? (`map.kind.${kind as LayerKind}` as const) : undefined;

/** The parcel's GeoJSON (Polygon or MultiPolygon, lon/lat) as the map's MultiPolygon. */
function asMultiPolygon(geometry: unknown): MultiPolygon | null {
  if (typeof geometry !== 'object' || geometry === null) return null;
  const g = geometry as { type?: unknown; coordinates?: unknown };
  if (g.type === 'MultiPolygon') return { type: 'MultiPolygon', coordinates: g.coordinates as number[][][][] };
  if (g.type === 'Polygon') return { type: 'MultiPolygon', coordinates: [g.coordinates as number[][][]] };
  return null;
}

const m2 = (v: number, locale: string) => v.toLocaleString(locale, { maximumFractionDigits: 2 });
const ha = (v: number, locale: string) => (v / 10_000).toLocaleString(locale, { maximumFractionDigits: 4 });

/** Flags and approval authority of the overlay report: the part a leader needs at a glance. */
export function AnalysisFlags({ analysis }: { analysis: CaseAnalysis }) {
  const { t } = useI18n();
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="analysis-flags">
      {analysis.approvalAuthority && (
        <Typography.Text data-testid="approval-authority">
          {analysis.approvalAuthority === 'stateCouncil' || analysis.approvalAuthority === 'province' ? (
            <Typography.Text strong>{t(`map.approval.${analysis.approvalAuthority}`)}</Typography.Text>
          ) : (
            <>
              {t('cases.analysis.authority')}: <Typography.Text strong>{analysis.approvalAuthority}</Typography.Text>
            </>
          )}
        </Typography.Text>
      )}
      {analysis.flags.length === 0 ? (
        <Tag color="green">{t('map.noFlags')}</Tag>
      ) : (
        <Space wrap>
          {analysis.flags.map((flag) => {
            const key = flagKey(flag);
            return (
              <Tag key={flag} color="red" data-testid={`flag-${flag}`} style={{ whiteSpace: 'normal' }}>
                {key ? t(key) : flag}
              </Tag>
            );
          })}
        </Space>
      )}
    </Space>
  );
}

interface Row {
  key: string;
  layer: string;
  kind: string;
  cls: string;
  areaM2: number;
}

/** 地块: the parcel on the map over the reference layers, its parcels and the overlay report. */
export function ParcelPanel({ parcel, analysis }: { parcel: CaseParcel | null; analysis: CaseAnalysis | null }) {
  const { t, locale } = useI18n();
  const layers = useQuery<Layer[]>('/spatial/layers');
  const [hidden, setHidden] = useState<ReadonlySet<number>>(new Set());
  const allLayers = useMemo(() => layers.data ?? [], [layers.data]);
  const visible = useMemo(
    () => new Set(allLayers.map((l) => l.id).filter((id) => !hidden.has(id))),
    [allLayers, hidden],
  );
  const geometry = useMemo(() => asMultiPolygon(parcel?.geometry), [parcel]);
  const noOverlaps = useMemo(() => [], []);

  if (!parcel) return <Empty description={t('cases.parcel.none')} data-testid="parcel-none" />;
  const rows: Row[] = (analysis?.layers ?? []).flatMap((l) =>
    l.byClass.length > 0
      ? l.byClass.map((c) => ({
          key: `${l.layerId}:${c.class}`,
          layer: l.layerName,
          kind: l.kind,
          cls: c.class || '—',
          areaM2: c.areaM2,
        }))
      : [{ key: `${l.layerId}`, layer: l.layerName, kind: l.kind, cls: '—', areaM2: l.overlapM2 }],
  );
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="parcel-panel">
      {allLayers.length > 0 && (
        <Checkbox.Group
          value={[...visible]}
          onChange={(ids) => setHidden(new Set(allLayers.map((l) => l.id).filter((id) => !ids.includes(id))))}
          options={allLayers.map((l) => ({
            value: l.id,
            label: (
              <span>
                <span className="guotu-map-swatch" style={{ borderColor: kindColours[l.kind] }} /> {l.name}
              </span>
            ),
          }))}
        />
      )}
      <OlMap
        layers={allLayers}
        visible={visible}
        parcel={geometry}
        overlaps={noOverlaps}
        drawing={false}
        onDrawn={() => undefined}
      />
      <Descriptions size="small" bordered column={{ xs: 1, md: 3 }}>
        <Descriptions.Item label={t('cases.parcel.crs')}>{parcel.crs ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('cases.parcel.total')}>
          <span data-testid="parcel-total">
            {m2(parcel.totalAreaM2, locale)} m² · {ha(parcel.totalAreaM2, locale)} ha
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('cases.parcel.count')}>{parcel.parcels.length}</Descriptions.Item>
      </Descriptions>
      <Table
        size="small"
        pagination={false}
        rowKey="no"
        dataSource={parcel.parcels}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('cases.parcel.no'), dataIndex: 'no' },
          { title: t('cases.parcel.name'), dataIndex: 'name', render: (v: string | null) => v || '—' },
          { title: t('cases.parcel.area'), dataIndex: 'areaM2', align: 'right', render: (v: number) => m2(v, locale) },
          {
            title: t('cases.parcel.declared'),
            dataIndex: 'declaredArea',
            align: 'right',
            render: (v: unknown) => (typeof v === 'number' ? m2(v, locale) : '—'),
          },
        ]}
      />
      {[...parcel.errors, ...parcel.warnings].length > 0 && (
        <Alert
          type={parcel.errors.length > 0 ? 'error' : 'warning'}
          showIcon
          message={t('cases.parcel.issues')}
          description={
            <ul style={{ margin: 0, paddingLeft: 20 }}>
              {[...parcel.errors, ...parcel.warnings].map((w, i) => (
                <li key={i}>
                  {w.line !== null ? `${t('cases.problem.line', { line: w.line })} ` : ''}
                  {w.message}
                </li>
              ))}
            </ul>
          }
        />
      )}
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('cases.analysis.title')}
      </Typography.Title>
      {!analysis ? (
        <Empty description={t('cases.analysis.none')} />
      ) : (
        <>
          <Typography.Text type="secondary">
            {t('cases.analysis.at', { at: formatInstant(analysis.analysedAt, locale) })}
          </Typography.Text>
          <AnalysisFlags analysis={analysis} />
          <Table<Row>
            size="small"
            pagination={false}
            dataSource={rows}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: t('map.noOverlap') }}
            data-testid="analysis-table"
            columns={[
              {
                title: t('map.col.layer'),
                dataIndex: 'layer',
                render: (v: string, r) => {
                  const key = kindKey(r.kind);
                  return (
                    <Tag color={(kindColours as Record<string, string>)[r.kind]} title={key ? t(key) : r.kind}>
                      {v}
                    </Tag>
                  );
                },
              },
              { title: t('map.col.class'), dataIndex: 'cls' },
              { title: t('map.col.area'), dataIndex: 'areaM2', align: 'right', render: (v: number) => m2(v, locale) },
              {
                title: t('map.col.share'),
                dataIndex: 'areaM2',
                key: 'share',
                align: 'right',
                render: (v: number) =>
                  analysis.parcelAreaM2 > 0 ? `${((100 * v) / analysis.parcelAreaM2).toFixed(1)}%` : '—',
              },
            ]}
          />
        </>
      )}
    </Space>
  );
}
