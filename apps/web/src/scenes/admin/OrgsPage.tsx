import { useMemo, useState } from 'react';
import { Button, Card, Col, Descriptions, Empty, Input, Row, Spin, Tag, Tree, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { OrgUnit } from '@guotu/contracts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useOrgs } from '../../hooks/useDirectory.ts';
import { useCan } from '../../hooks/useSession.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { ancestorIds, buildOrgTree, toTreeData } from '../../lib/org-tree.ts';
import { AddOrgModal } from './AddOrgModal.tsx';

export default function OrgsPage() {
  const { t } = useI18n();
  const can = useCan();
  const orgs = useOrgs();
  const [selectedId, setSelectedId] = useState<number | undefined>(undefined);
  const [addUnder, setAddUnder] = useState<OrgUnit | undefined>(undefined);
  const [expanded, setExpanded] = useState<number[] | undefined>(undefined);
  const [filter, setFilter] = useState('');

  const treeData = useMemo(() => toTreeData(buildOrgTree(orgs.data ?? [])), [orgs.data]);
  const byId = useMemo(() => new Map((orgs.data ?? []).map((unit) => [unit.id, unit])), [orgs.data]);
  const selected = selectedId === undefined ? undefined : byId.get(selectedId);
  // a province holds 100+ units: start with the roots open, and open the way to search hits
  const expandedKeys = expanded ?? treeData.map((node) => node.key);
  const needle = filter.trim();

  function search(value: string) {
    setFilter(value);
    const text = value.trim();
    if (!text) return;
    const hits = (orgs.data ?? []).filter((unit) => unit.name.includes(text));
    setExpanded([...new Set(hits.flatMap((unit) => ancestorIds(unit.path).filter((id) => id !== unit.id)))]);
  }

  return (
    <>
      <div className="guotu-page-head">
        <Typography.Title level={3} data-testid="page-title">
          {t('orgs.title')}
        </Typography.Title>
      </div>
      {orgs.error && <ErrorAlert error={orgs.error} onRetry={orgs.reload} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} md={14}>
          <Card>
            <Input.Search
              allowClear
              placeholder={t('orgs.searchPlaceholder')}
              onSearch={search}
              onChange={(event) => (event.target.value === '' ? setFilter('') : undefined)}
              style={{ marginBottom: 12 }}
            />
            {orgs.loading && !orgs.data ? (
              <Spin />
            ) : treeData.length === 0 ? (
              <Empty description={t('orgs.empty')} />
            ) : (
              <div className="guotu-org-tree">
                <Tree
                  showLine
                  expandedKeys={expandedKeys}
                  onExpand={(keys) => setExpanded(keys.filter((key): key is number => typeof key === 'number'))}
                  titleRender={(node) =>
                    needle && node.title.includes(needle) ? (
                      <Typography.Text mark>{node.title}</Typography.Text>
                    ) : (
                      node.title
                    )
                  }
                  treeData={treeData}
                  selectedKeys={selectedId === undefined ? [] : [selectedId]}
                  onSelect={(keys) => setSelectedId(typeof keys[0] === 'number' ? keys[0] : undefined)}
                  data-testid="org-tree"
                />
              </div>
            )}
          </Card>
        </Col>
        <Col xs={24} md={10}>
          <Card title={t('orgs.details')}>
            {selected ? (
              <>
                <Descriptions column={1} size="small">
                  <Descriptions.Item label={t('orgs.name')}>{selected.name}</Descriptions.Item>
                  <Descriptions.Item label={t('orgs.kind')}>
                    <Tag>{t(`orgKind.${selected.kind}`)}</Tag>
                  </Descriptions.Item>
                  <Descriptions.Item label={t('orgs.divisionCode')}>{selected.divisionCode ?? '—'}</Descriptions.Item>
                </Descriptions>
                {can('org.manage') && (
                  <Button
                    type="primary"
                    icon={<PlusOutlined />}
                    onClick={() => setAddUnder(selected)}
                    data-testid="add-child-org"
                  >
                    {t('orgs.addChild')}
                  </Button>
                )}
              </>
            ) : (
              <Typography.Text type="secondary">{t('orgs.selectHint')}</Typography.Text>
            )}
          </Card>
        </Col>
      </Row>
      <AddOrgModal
        parent={addUnder}
        onClose={() => setAddUnder(undefined)}
        onCreated={(unit) => {
          setAddUnder(undefined);
          setSelectedId(unit.id);
          if (unit.parentId !== null) setExpanded([...new Set([...expandedKeys, ...ancestorIds(unit.path)])]);
          orgs.reload();
        }}
      />
    </>
  );
}
