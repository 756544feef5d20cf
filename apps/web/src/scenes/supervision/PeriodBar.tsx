import { useState, type CSSProperties, type ReactNode } from 'react';
import { Input, Segmented, Space } from 'antd';
import { useQuery, type QueryState } from '../../hooks/useQuery.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { bulletinPath, type Bulletin, type PeriodKind } from './api.ts';

export interface BulletinPeriod {
  period: PeriodKind;
  setPeriod: (period: PeriodKind) => void;
  /** a day in the period, YYYY-MM-DD */
  day: string;
  setDay: (day: string) => void;
  bulletin: QueryState<Bulletin>;
}

/** The 通报 of the period (this month by default) around a day (today in Shanghai by default). */
export function useBulletinPeriod(): BulletinPeriod {
  const [period, setPeriod] = useState<PeriodKind>('month');
  // today in Shanghai (sv-SE formats as YYYY-MM-DD)
  const [day, setDay] = useState<string>(() => new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' }));
  const bulletin = useQuery<Bulletin>(bulletinPath(period, day));
  return { period, setPeriod, day, setDay, bulletin };
}

/** Week / month / quarter and the day, then whatever the panel adds (PDF link, period label). */
export function PeriodBar({
  value,
  style,
  children,
}: {
  value: BulletinPeriod;
  style: CSSProperties;
  children?: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <Space style={style}>
      <Segmented<PeriodKind>
        value={value.period}
        onChange={value.setPeriod}
        options={[
          { value: 'week', label: t('supervision.period.week') },
          { value: 'month', label: t('supervision.period.month') },
          { value: 'quarter', label: t('supervision.period.quarter') },
        ]}
      />
      <Input
        type="date"
        style={{ width: 160 }}
        value={value.day}
        onChange={(e) => e.target.value && value.setDay(e.target.value)}
      />
      {children}
    </Space>
  );
}
