import {
  AppError,
  dayNumberFromParts,
  daysInMonth,
  formatDayNumber,
  parseCivilDate,
  partsFromDayNumber,
  toShanghaiDate,
  weekdayOf,
  type CivilDate,
} from '@guotu/domain';

export type BulletinPeriodKind = 'week' | 'month' | 'quarter';

export interface BulletinPeriod {
  kind: BulletinPeriodKind;
  /** first and last civil day (Asia/Shanghai), both included */
  from: CivilDate;
  to: CivilDate;
  label: string;
}

/** The week (Monday–Sunday), month or quarter containing `date`. */
export function periodContaining(kind: BulletinPeriodKind, date: CivilDate): BulletinPeriod {
  const day = parseCivilDate(date);
  const { year, month } = partsFromDayNumber(day);
  switch (kind) {
    case 'week': {
      const monday = day - ((weekdayOf(day) + 6) % 7);
      const sunday = monday + 6;
      // ISO week number: the week's Thursday decides its year
      const thursday = monday + 3;
      const isoYear = partsFromDayNumber(thursday).year;
      const week = Math.floor((thursday - dayNumberFromParts(isoYear, 1, 1)) / 7) + 1;
      return {
        kind,
        from: formatDayNumber(monday),
        to: formatDayNumber(sunday),
        label: `${isoYear}年第${week}周（${formatDayNumber(monday)}至${formatDayNumber(sunday)}）`,
      };
    }
    case 'month':
      return {
        kind,
        from: formatDayNumber(dayNumberFromParts(year, month, 1)),
        to: formatDayNumber(dayNumberFromParts(year, month, daysInMonth(year, month))),
        label: `${year}年${month}月`,
      };
    case 'quarter': {
      const q = Math.floor((month - 1) / 3) + 1;
      const last = q * 3;
      return {
        kind,
        from: formatDayNumber(dayNumberFromParts(year, last - 2, 1)),
        to: formatDayNumber(dayNumberFromParts(year, last, daysInMonth(year, last))),
        label: `${year}年第${q}季度`,
      };
    }
    default:
      throw new AppError('VALIDATION_FAILED', `unknown bulletin period ${String(kind)}`);
  }
}

/** The last complete period before `now`: what a bulletin is published for by default. */
export function previousPeriod(kind: BulletinPeriodKind, now: Date): BulletinPeriod {
  const current = periodContaining(kind, toShanghaiDate(now));
  return periodContaining(kind, formatDayNumber(parseCivilDate(current.from) - 1));
}
