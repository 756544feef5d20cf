import { Alert, Space } from 'antd';
import type { CaseDetail } from '../../api/cases.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { formatInstant } from '../../lib/dates.ts';

/** Every 补正 round: the one complete list, when asked and when resolved. */
export function CaseSupplements({ detail }: { detail: CaseDetail }) {
  const { t, locale } = useI18n();
  if (detail.supplements.length === 0) return null;
  const nameOf = (key: string | null) => (key ? (detail.materials.find((m) => m.key === key)?.name ?? key) : null);
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="case-supplements">
      {detail.supplements.map((s) => (
        <Alert
          key={s.round}
          type={s.resolvedAt ? 'info' : 'warning'}
          message={`${t('cases.supplement.round', { round: s.round })} · ${formatInstant(s.requestedAt, locale)}${
            s.resolvedAt ? ` → ${t('cases.supplement.resolved', { at: formatInstant(s.resolvedAt, locale) })}` : ''
          }`}
          description={
            <ul style={{ margin: 0, paddingLeft: 20 }}>
              {s.items.map((item, i) => (
                <li key={i}>
                  {nameOf(item.materialKey) ? `${nameOf(item.materialKey)}：` : ''}
                  {item.message}
                </li>
              ))}
              {s.note && <li>{s.note}</li>}
            </ul>
          }
        />
      ))}
    </Space>
  );
}
