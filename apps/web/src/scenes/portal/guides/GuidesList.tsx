import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Card, Empty, Input, List, Select, Space, Tag, Typography } from 'antd';
import { withQuery } from '../../../api/client.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { useQuery } from '../../../hooks/useQuery.ts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { matterCategories, matterLevels, type GuideSummary, type MatterLevel } from './api.ts';
import { limitText } from './format.ts';

/** 办事指南: the published matters, searchable by category, level and text. */
export default function GuidesList() {
  const { t } = useI18n();
  const [category, setCategory] = useState<string | undefined>();
  const [level, setLevel] = useState<MatterLevel | undefined>();
  const [q, setQ] = useState('');
  const { data, error, loading, reload } = useQuery<{ items: GuideSummary[] }>(
    withQuery('/public/matters', { category, level, q: q.trim() }),
  );

  return (
    <Card title={t('guides.title')}>
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          placeholder={t('guides.search')}
          onSearch={setQ}
          style={{ width: 280 }}
          aria-label={t('guides.search')}
        />
        <Select
          allowClear
          placeholder={t('guides.allCategories')}
          value={category}
          onChange={setCategory}
          style={{ width: 160 }}
          options={matterCategories.map((c) => ({ value: c, label: c }))}
          aria-label={t('guides.category')}
        />
        <Select
          allowClear
          placeholder={t('guides.allLevels')}
          value={level}
          onChange={setLevel}
          style={{ width: 140 }}
          options={matterLevels.map((l) => ({ value: l, label: t(`guides.level.${l}`) }))}
          aria-label={t('guides.level')}
        />
      </Space>
      {error && <ErrorAlert error={error} onRetry={reload} />}
      <List
        loading={loading}
        dataSource={data?.items ?? []}
        locale={{ emptyText: <Empty description={t('guides.empty')} /> }}
        renderItem={(item) => (
          <List.Item
            key={item.code}
            actions={[
              <Link key="open" to={`/portal/guides/${item.code}`}>
                {t('guides.open')}
              </Link>,
            ]}
          >
            <List.Item.Meta
              title={<Link to={`/portal/guides/${item.code}`}>{item.name}</Link>}
              description={
                <Space wrap size={[4, 4]}>
                  <Tag color="blue">{item.category}</Tag>
                  {item.levels.map((l) => (
                    <Tag key={l}>{t(`guides.level.${l}`)}</Tag>
                  ))}
                  {item.statutoryLimit && (
                    <Typography.Text type="secondary">
                      {t('guides.statutory')}：{limitText(t, item.statutoryLimit)}
                    </Typography.Text>
                  )}
                  {item.promisedLimit && (
                    <Typography.Text type="secondary">
                      {t('guides.promised')}：{limitText(t, item.promisedLimit)}
                    </Typography.Text>
                  )}
                  {item.expedite && <Tag color="orange">{t('guides.expediteAllowed')}</Tag>}
                </Space>
              }
            />
          </List.Item>
        )}
      />
    </Card>
  );
}
