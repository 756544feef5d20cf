import { useState } from 'react';
import { Select } from 'antd';
import type { CaseTrackerCandidate } from '@guotu/contracts';
import { caseTrackersPath } from '../../api/cases.ts';
import { useQuery } from '../../hooks/useQuery.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';

/**
 * Picks the 特事特办 tracker from GET /cases/trackers (staff of the caller's bureau and the
 * department's offices), searched by name.
 */
export function UserPicker({
  value,
  onChange,
}: {
  value: number | undefined;
  onChange: (id: number | undefined) => void;
}) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const users = useQuery<{ items: CaseTrackerCandidate[] }>(caseTrackersPath(q || undefined));
  return (
    <Select<number>
      showSearch
      allowClear
      value={value}
      onChange={(id) => onChange(id)}
      onSearch={setQ}
      filterOption={false}
      loading={users.loading}
      placeholder={t('cases.tracker.placeholder')}
      style={{ width: '100%' }}
      options={(users.data?.items ?? []).map((u) => ({
        value: u.id,
        label: `${u.displayName}（${u.username} · ${u.orgName}）`,
      }))}
      data-testid="tracker-picker"
    />
  );
}
