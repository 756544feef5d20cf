import { Link, useParams } from 'react-router-dom';
import { Button, Card, Descriptions, Space, Table, Tag, Typography } from 'antd';
import { FormOutlined } from '@ant-design/icons';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import type { GuideLimit, GuideMaterial } from './api.ts';
import { useGuide } from './useGuide.tsx';
import { BpmnView } from './BpmnView.tsx';
import { formatText, limitText } from './format.ts';

/** One service guide (办事指南): basis, conditions, materials, limits with their legal source, fees, process, contacts. */
export default function GuidePage() {
  const { t } = useI18n();
  const { code = '' } = useParams();
  const { guide, fallback } = useGuide(code);
  if (!guide) return fallback;

  const materialColumns = [
    { title: t('guides.materialName'), dataIndex: 'name', key: 'name' },
    {
      title: t('guides.materialRequired'),
      key: 'required',
      width: 100,
      render: (_: unknown, m: GuideMaterial) =>
        m.required ? <Tag color="red">{t('guides.requiredYes')}</Tag> : <Tag>{t('guides.requiredNo')}</Tag>,
    },
    {
      title: t('guides.materialForm'),
      key: 'form',
      width: 120,
      render: (_: unknown, m: GuideMaterial) => t(`guides.form.${m.form}`),
    },
    {
      title: t('guides.materialFormats'),
      key: 'formats',
      width: 160,
      render: (_: unknown, m: GuideMaterial) => m.formats.map((f) => formatText(t, f)).join('、'),
    },
    {
      title: t('guides.materialNotes'),
      key: 'notes',
      render: (_: unknown, m: GuideMaterial) => [m.notes, m.source].filter(Boolean).join('；'),
    },
  ];
  const limitColumns = [
    {
      title: t('guides.limitKind'),
      key: 'which',
      width: 140,
      render: (_: unknown, l: GuideLimit) => t(`guides.which.${l.which}`),
    },
    {
      title: t('guides.limitValue'),
      key: 'limit',
      width: 200,
      render: (_: unknown, l: GuideLimit) =>
        `${limitText(t, l)}${l.extension ? `（${t('guides.limitExtension', { n: limitText(t, { limit: l.extension, unit: l.unit }) })}）` : ''}`,
    },
    {
      title: t('guides.limitSource'),
      key: 'source',
      render: (_: unknown, l: GuideLimit) => `${l.source.law} ${l.source.article}`,
    },
  ];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Link to="/portal/guides">← {t('guides.backToList')}</Link>
      <Card>
        <Space wrap style={{ width: '100%', justifyContent: 'space-between' }} align="start">
          <Typography.Title level={3}>{guide.name}</Typography.Title>
          <Link to={`/portal/apply/${encodeURIComponent(guide.code)}`}>
            <Button type="primary" size="large" icon={<FormOutlined />} data-testid="apply-online">
              {t('pc.apply.button')}
            </Button>
          </Link>
        </Space>
        <Descriptions size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={t('guides.code')}>{guide.code}</Descriptions.Item>
          <Descriptions.Item label={t('guides.category')}>{guide.category}</Descriptions.Item>
          <Descriptions.Item label={t('guides.decidingOrgan')}>{guide.decidingOrgan}</Descriptions.Item>
          <Descriptions.Item label={t('guides.level')}>
            {guide.levels.map((l) => t(`guides.level.${l}`)).join('、')}
          </Descriptions.Item>
          {guide.submissionPath && (
            <Descriptions.Item label={t('guides.submissionPath')}>
              {guide.submissionPath.map((l) => t(`guides.level.${l}`)).join(' → ')}
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t('guides.expedite')}>
            {guide.expedite ? t('guides.expediteAllowed') : t('matters.none')}
          </Descriptions.Item>
          <Descriptions.Item label={t('matters.versions')}>
            {t('guides.version', { version: guide.version })}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={t('guides.basis')}>
        <ul>
          {guide.basis.map((b, i) => (
            <li key={i}>
              <Typography.Text strong>{b.law}</Typography.Text> {b.article}
              {b.text && <Typography.Paragraph type="secondary">{b.text}</Typography.Paragraph>}
            </li>
          ))}
        </ul>
      </Card>
      <Card title={t('guides.conditions')}>
        <ol>
          {guide.conditions.map((c, i) => (
            <li key={i}>{c}</li>
          ))}
        </ol>
      </Card>
      <Card title={t('guides.materials')}>
        <Table
          rowKey="key"
          size="small"
          pagination={false}
          columns={materialColumns}
          dataSource={guide.materials}
          scroll={{ x: 720 }}
          data-testid="materials"
        />
      </Card>
      <Card title={t('guides.limits')}>
        <Table
          rowKey="which"
          size="small"
          pagination={false}
          columns={limitColumns}
          dataSource={guide.limits}
          data-testid="limits"
        />
      </Card>
      <Card title={t('guides.fees')}>
        {guide.fees.charged ? (
          <ul>
            {guide.fees.items.map((f, i) => (
              <li key={i}>
                {f.name}：{f.amount}（{f.basis}）
              </li>
            ))}
          </ul>
        ) : (
          <Typography.Text>{t('guides.noFee')}</Typography.Text>
        )}
        {guide.fees.notes && <Typography.Paragraph type="secondary">{guide.fees.notes}</Typography.Paragraph>}
      </Card>
      <Card title={t('guides.process')}>
        {guide.process ? (
          <BpmnView xml={guide.process.xml} />
        ) : (
          <Typography.Text type="secondary">{t('guides.noProcess')}</Typography.Text>
        )}
      </Card>
      <Card title={t('guides.supervision')}>
        <Descriptions size="small" column={1}>
          <Descriptions.Item label={t('guides.supervision')}>{guide.supervision.office}</Descriptions.Item>
          <Descriptions.Item label={t('guides.phone')}>{guide.supervision.phone}</Descriptions.Item>
          {guide.consultation && (
            <Descriptions.Item label={t('guides.consultation')}>
              {[guide.consultation.phone, guide.consultation.address].filter(Boolean).join('　')}
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <Card title={t('guides.sources')} size="small">
        <ul>
          {guide.sources.map((s, i) => (
            <li key={i}>
              {s.title}
              {s.documentNumber && `（${s.documentNumber}）`} {!s.verified && <Tag>{t('guides.unverified')}</Tag>}
            </li>
          ))}
        </ul>
      </Card>
    </Space>
  );
}
