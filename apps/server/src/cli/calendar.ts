import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  AppError,
  createChinaWorkingCalendar,
  evaluateClock,
  explainAdd,
  explainClock,
  tryParseCivilDate,
  type WorkingCalendar,
} from '@guotu/domain';
import { buildCalendar, CalendarProvider, importCalendarYear } from '../modules/calendar/service.ts';
import type { WithContext } from './context.ts';

type Unit = 'workday' | 'day' | 'hour';

function parseUnit(value: string): Unit {
  if (value === 'workday' || value === 'day' || value === 'hour') return value;
  throw new AppError('VALIDATION_FAILED', `--unit must be workday, day or hour, got "${value}"`, [
    { path: '--unit', message: 'workday | day | hour' },
  ]);
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 3650)
    throw new AppError('VALIDATION_FAILED', `N must be a whole number 0–3650, got "${value}"`, [
      { path: 'N', message: 'not a count' },
    ]);
  return n;
}

function parseDate(value: string): string {
  if (tryParseCivilDate(value) === undefined)
    throw new AppError('VALIDATION_FAILED', `DATE must be YYYY-MM-DD, got "${value}"`, [
      { path: 'DATE', message: 'not a date' },
    ]);
  return value;
}

/** Working calendar: the database's (bundled + imported years), or with --bundled the shipped notices only. */
async function calendarFor(withContext: WithContext, bundled: boolean | undefined): Promise<WorkingCalendar> {
  if (bundled) return createChinaWorkingCalendar();
  return withContext((ctx) => buildCalendar(ctx.database.db));
}

export function registerCalendarCommands(program: Command, withContext: WithContext): void {
  const calendar = program
    .command('calendar')
    .description('the working-day calendar (statutory holidays and makeup workdays)');
  const bundledOption = '--bundled';
  const bundledHelp =
    'use only the shipped State Council notices (no database; works while the server holds the embedded DB)';

  calendar
    .command('is-workday')
    .argument('<DATE>', 'YYYY-MM-DD (Asia/Shanghai civil date)')
    .option(bundledOption, bundledHelp)
    .description('print true when DATE is a working day, false otherwise')
    .action(async (date: string, options: { bundled?: boolean }) => {
      const cal = await calendarFor(withContext, options.bundled);
      console.log(String(cal.isWorkingDay(parseDate(date))));
    });

  calendar
    .command('add')
    .argument('<DATE>', 'YYYY-MM-DD for workday/day; an ISO instant with offset for hour')
    .argument('<N>', 'how many units')
    .option('--unit <unit>', 'workday | day | hour', 'workday')
    .option('--json', 'print {"due", "explanation"}')
    .option(bundledOption, bundledHelp)
    .description('print the due date N units after DATE (counting starts the next day, 民法典 §201)')
    .action(async (date: string, count: string, options: { unit: string; json?: boolean; bundled?: boolean }) => {
      const unit = parseUnit(options.unit);
      const n = parseCount(count);
      const cal = await calendarFor(withContext, options.bundled);
      if (unit === 'hour') {
        const evaluation = evaluateClock(cal, { unit, start: date, limit: Math.max(n, 1) }, date);
        const due = evaluation.due?.instant ?? '';
        console.log(
          options.json
            ? JSON.stringify({
                due,
                explanation: explainClock(cal, { unit, start: date, limit: Math.max(n, 1) }, date),
              })
            : due,
        );
        return;
      }
      const explanation = explainAdd(cal, parseDate(date), n, unit);
      console.log(options.json ? JSON.stringify({ due: explanation.result, explanation }) : explanation.result);
    });

  calendar
    .command('explain')
    .argument('<DATE>', 'YYYY-MM-DD')
    .argument('<N>', 'how many units')
    .option('--unit <unit>', 'workday | day', 'workday')
    .option(bundledOption, bundledHelp)
    .description('list every day from DATE to the due date: counted or skipped, and why')
    .action(async (date: string, count: string, options: { unit: string; bundled?: boolean }) => {
      const unit = parseUnit(options.unit);
      if (unit === 'hour')
        throw new AppError('VALIDATION_FAILED', 'explain works on day units; use add --unit hour --json for hours');
      const cal = await calendarFor(withContext, options.bundled);
      const explanation = explainAdd(cal, parseDate(date), parseCount(count), unit);
      for (const day of explanation.days) {
        const mark = day.counted ? `#${day.ordinal ?? ''}`.padEnd(5) : 'skip ';
        console.log(
          `${day.date}  ${mark} ${day.reason}${day.name ? ` (${day.name})` : ''}${day.rule ? ` — ${day.rule}` : ''}`,
        );
      }
      console.log(`due: ${explanation.result}`);
    });

  calendar
    .command('import')
    .argument('<FILE>', "a year's notice as JSON or the text form (see docs/clocks.md)")
    .description('import a new year (or a corrected one) into the database; open clocks are recomputed; audited')
    .action(async (file: string) => {
      const text = readFileSync(file, 'utf8');
      const result = await withContext((ctx) =>
        importCalendarYear(new CalendarProvider(ctx.database.db), ctx.database.db, null, { text }),
      );
      console.log(
        `imported ${result.year}; open clocks recomputed: ${result.recomputedClocks}, deadlines changed: ${result.changedClocks}`,
      );
    });
}
