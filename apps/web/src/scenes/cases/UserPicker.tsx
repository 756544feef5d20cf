import { useState } from 'react';
import { Select, Typography } from 'antd';
import { usersPath } from '../../api/endpoints.ts';
import { useCan } from '../../hooks/useSession.ts';
import { useQuery } from '../../hooks/useQuery.ts';
import type { UserList } from '@guotu/contracts';
import { useI18n } from '../../i18n/I18nProvider.tsx';

/**
 * Picks a person (the 特事特办 tracker) from GET /users by name search. Needs `user.read`;
 * without it the picker says so instead of guessing ids.
 */
export function UserPicker({
  value,
  onChange,
}: {
  value: number | undefined;
  onChange: (id: number | undefined) => void;
}) {
  const { t } = useI18n();
  const can = useCan();
  const allowed = can('user.read');
  const [q, setQ] = useState('');
  const users = useQuery<UserList>(allowed ? usersPath({ q: q || undefined, limit: 20, offset: 0 }) : null);
  if (!allowed) return <Typography.Text type="secondary">{t('cases.tracker.noDirectory')}</Typography.Text>;
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
      options={(users.data?.items ?? [])
        .filter((u) => !u.disabled)
        .map((u) => ({ value: u.id, label: `${u.displayName}（${u.username} · ${u.orgName}）` }))}
      data-testid="tracker-picker"
    />
  );
}
