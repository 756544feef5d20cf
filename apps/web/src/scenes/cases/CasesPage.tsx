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
import { caseClockToClock } from '../../components/ClockStateTag.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useOrgs } from '../../hooks/useDirectory.ts';
import { useQuery } from '../../hooks/useQuery.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { CaseTable } from './CaseTable.tsx';

const pick = <T extends string>(value: string | null, allowed: readonly T[]): T | undefined =>
  value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;

/** One filter: its URL parameter (its test id is `filter-<param>`), label, choices and width. */
interface FilterSpec {
  param: string;
  placeholder: string;
  value: string | number | undefined;
  options: Array<{ value: string | number; label: string }>;
  minWidth: number;
  /** type to narrow the choices by their label */
  searchable?: boolean;
}

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

  /** Edits the URL's parameters; the history entry is replaced, not added. */
  function change(edit: (next: URLSearchParams) => void) {
    const next = new URLSearchParams(params);
    edit(next);
    setParams(next, { replace: true });
  }
  /** A changed filter starts again at the first page. */
  function set(name: string, value: string | undefined) {
    change((next) => {
      if (value === undefined || value === '') next.delete(name);
      else next.set(name, value);
      next.delete('page');
    });
  }

  const filters: FilterSpec[] = [
    {
      param: 'matter',
      placeholder: t('cases.matter'),
      value: query.matterCode,
      options: matterItems.map((m) => ({ value: m.code, label: m.name })),
      minWidth: 220,
    },
    {
      param: 'status',
      placeholder: t('cases.status'),
      value: query.status,
      options: caseStatuses.map((s) => ({ value: s, label: t(`caseStatus.${s}`) })),
      minWidth: 160,
    },
    {
      param: 'org',
      placeholder: t('cases.org'),
      value: query.orgId,
      options: (orgs.data ?? []).filter((o) => o.divisionCode).map((o) => ({ value: o.id, label: o.name })),
      minWidth: 200,
      searchable: true,
    },
    {
      param: 'tier',
      placeholder: t('cases.tier'),
      value: query.tier,
      options: caseTiers.map((s) => ({ value: s, label: t(`caseTier.${s}`) })),
      minWidth: 120,
    },
    {
      param: 'clock',
      placeholder: t('cases.clock'),
      value: query.clockState,
      options: caseClockStates.map((s) => ({ value: s, label: t(`clockState.${caseClockToClock[s]}`) })),
      minWidth: 120,
    },
    {
      param: 'expedite',
      placeholder: t('cases.expedite'),
      value: query.expedite ? 'true' : undefined,
      options: [{ value: 'true', label: t('cases.filter.expediteOnly') }],
      minWidth: 140,
    },
  ];

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
          {filters.map((filter) => (
            <Select
              key={filter.param}
              allowClear
              {...(filter.searchable ? { showSearch: true, optionFilterProp: 'label' } : {})}
              placeholder={filter.placeholder}
              value={filter.value}
              onChange={(v: string | number | undefined) => set(filter.param, v === undefined ? undefined : String(v))}
              options={filter.options}
              style={{ minWidth: filter.minWidth }}
              data-testid={`filter-${filter.param}`}
            />
          ))}
        </Space>
      </Card>
      {list.error && <ErrorAlert error={list.error} onRetry={list.reload} />}
      <Card size="small">
        <CaseTable
          list={list.data}
          loading={list.loading}
          page={page}
          pageSize={pageSize}
          onPage={(p, size) =>
            change((next) => {
              next.set('page', String(p));
              next.set('size', String(size));
            })
          }
        />
      </Card>
    </Space>
  );
}
