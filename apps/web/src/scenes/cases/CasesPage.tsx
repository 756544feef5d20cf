import { Card, Input, Select, Space, Typography } from 'antd';
import { useSearchParams } from 'react-router-dom';
import {
  caseClockStates,
  casesPath,
  caseStatuses,
  caseTiers,
  mattersPath,
  type CaseClockState,
  type CaseList,
  type CaseListQuery,
  type CaseStatus,
  type CaseTier,
  type MatterHead,
} from '../../api/cases.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useOrgs } from '../../hooks/useDirectory.ts';
import { useQuery } from '../../hooks/useQuery.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { caseClockToClock } from './labels.tsx';
import { CaseTable } from './CaseTable.tsx';

const pick = <T extends string>(value: string | null, allowed: readonly T[]): T | undefined =>
  value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;

/** 办件查询: every case visible to the caller's bureau, filtered; filters live in the URL. */
export default function CasesPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const matters = useQuery<{ items: MatterHead[] }>(mattersPath);
  const orgs = useOrgs();
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const pageSize = Math.min(100, Math.max(10, Number(params.get('size') ?? '20') || 20));
  const query: CaseListQuery = {
    status: pick<CaseStatus>(params.get('status'), caseStatuses),
    matterCode: params.get('matter') ?? undefined,
    orgId: params.get('org') ? Number(params.get('org')) : undefined,
    tier: pick<CaseTier>(params.get('tier'), caseTiers),
    clockState: pick<CaseClockState>(params.get('clock'), caseClockStates),
    expedite: params.get('expedite') === 'true' ? true : undefined,
    q: params.get('q') ?? undefined,
    limit: pageSize,
    offset: (page - 1) * pageSize,
  };
  const list = useQuery<CaseList>(casesPath(query));
  const matterItems = matters.data?.items ?? [];

  function set(name: string, value: string | undefined) {
    const next = new URLSearchParams(params);
    if (value === undefined || value === '') next.delete(name);
    else next.set(name, value);
    next.delete('page');
    setParams(next, { replace: true });
  }

  const selectStyle = { minWidth: 160 };
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
        {t('cases.list.title')}
      </Typography.Title>
      <Card size="small">
        <Space wrap data-testid="case-filters">
          <Input.Search
            allowClear
            defaultValue={query.q}
            placeholder={t('cases.filter.q')}
            onSearch={(v) => set('q', v.trim())}
            style={{ width: 260, maxWidth: '100%' }}
            data-testid="filter-q"
          />
          <Select
            allowClear
            placeholder={t('cases.matter')}
            value={query.matterCode}
            onChange={(v: string | undefined) => set('matter', v)}
            options={matterItems.map((m) => ({ value: m.code, label: m.name }))}
            style={{ minWidth: 220 }}
            data-testid="filter-matter"
          />
          <Select
            allowClear
            placeholder={t('cases.status')}
            value={query.status}
            onChange={(v: string | undefined) => set('status', v)}
            options={caseStatuses.map((s) => ({ value: s, label: t(`caseStatus.${s}`) }))}
            style={selectStyle}
            data-testid="filter-status"
          />
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t('cases.org')}
            value={query.orgId}
            onChange={(v: number | undefined) => set('org', v === undefined ? undefined : String(v))}
            options={(orgs.data ?? []).filter((o) => o.divisionCode).map((o) => ({ value: o.id, label: o.name }))}
            style={{ minWidth: 200 }}
            data-testid="filter-org"
          />
          <Select
            allowClear
            placeholder={t('cases.tier')}
            value={query.tier}
            onChange={(v: string | undefined) => set('tier', v)}
            options={caseTiers.map((s) => ({ value: s, label: t(`caseTier.${s}`) }))}
            style={{ minWidth: 120 }}
            data-testid="filter-tier"
          />
          <Select
            allowClear
            placeholder={t('cases.clock')}
            value={query.clockState}
            onChange={(v: string | undefined) => set('clock', v)}
            options={caseClockStates.map((s) => ({ value: s, label: t(`clockState.${caseClockToClock[s]}`) }))}
            style={{ minWidth: 120 }}
            data-testid="filter-clock"
          />
          <Select
            allowClear
            placeholder={t('cases.expedite')}
            value={query.expedite ? 'true' : undefined}
            onChange={(v: string | undefined) => set('expedite', v)}
            options={[{ value: 'true', label: t('cases.filter.expediteOnly') }]}
            style={{ minWidth: 140 }}
            data-testid="filter-expedite"
          />
        </Space>
      </Card>
      {list.error && <ErrorAlert error={list.error} onRetry={list.reload} />}
      <Card size="small">
        <CaseTable
          list={list.data}
          loading={list.loading}
          page={page}
          pageSize={pageSize}
          onPage={(p, size) => {
            const next = new URLSearchParams(params);
            next.set('page', String(p));
            next.set('size', String(size));
            setParams(next, { replace: true });
          }}
        />
      </Card>
    </Space>
  );
}
