// Working-day calendar (issue 3): civil dates in Asia/Shanghai, statutory holidays, notice import.
import { cnHolidayDataset } from './holiday-data.ts';
import type { HolidayYear } from './holiday-data.ts';
import type { RegionalRestDay } from './working-calendar.ts';
import { WorkingCalendar } from './working-calendar.ts';

export * from './civil-date.ts';
export * from './holiday-data.ts';
export * from './notice-import.ts';
export * from './working-calendar.ts';

export interface ChinaCalendarOptions {
  /** years imported by admins (parseHolidayNotice); a year here replaces the bundled one */
  importedYears?: readonly HolidayYear[];
  regionalRestDays?: readonly RegionalRestDay[];
}

/** The national calendar from the bundled notices 2004–2026, plus imported years and regional rest days. */
export function createChinaWorkingCalendar(options: ChinaCalendarOptions = {}): WorkingCalendar {
  const imported = options.importedYears ?? [];
  const replaced = new Set(imported.map((y) => y.year));
  const years = [...cnHolidayDataset.years.filter((y) => !replaced.has(y.year)), ...imported];
  return new WorkingCalendar({ years, regionalRestDays: options.regionalRestDays ?? [] });
}
