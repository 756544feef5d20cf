import { describe, expect, it } from 'vitest';
import type { AppError } from '../errors.ts';
import { isAppError } from '../errors.ts';
import { parseHolidayNotice, validateHolidayYear } from './notice-import.ts';

function problems(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error('expected CALENDAR_INVALID');
}

const text2027 = `# 国务院办公厅关于2027年部分节假日安排的通知 (a made-up year for the test)
year: 2027
notice: 国办发明电〔2026〕99号
published: 2026-11-05
holiday: 2027-01-01 元旦
holiday: 2027-02-06..2027-02-13 春节
makeup: 2027-02-14 春节   # a Sunday
`;

describe('holiday notice import', () => {
  it('reads the text form with ranges, comments and a makeup day', () => {
    const year = parseHolidayNotice(text2027);
    expect(year).toMatchObject({ year: 2027, notice: '国办发明电〔2026〕99号', published: '2026-11-05' });
    expect(year.holidays.map((h) => h.date)).toEqual([
      '2027-01-01',
      '2027-02-06',
      '2027-02-07',
      '2027-02-08',
      '2027-02-09',
      '2027-02-10',
      '2027-02-11',
      '2027-02-12',
      '2027-02-13',
    ]);
    expect(year.makeupWorkdays).toEqual([{ date: '2027-02-14', name: '春节' }]);
  });

  it('reads the JSON form with dates and {from, to} ranges', () => {
    const json = JSON.stringify({
      year: 2027,
      notice: 'x',
      published: '2026-11-05',
      holidays: [{ from: '2027-10-01', to: '2027-10-07', name: '国庆节' }],
      makeupWorkdays: [{ date: '2027-09-26', name: '国庆节' }],
    });
    const year = parseHolidayNotice(json);
    expect(year.holidays).toHaveLength(7);
    expect(year.makeupWorkdays[0]?.date).toBe('2027-09-26');
  });

  it('rejects a day that is both a holiday and a makeup workday, naming the line', () => {
    const error = problems(() => parseHolidayNotice(`${text2027}makeup: 2027-02-13 春节\n`));
    expect(error.code).toBe('CALENDAR_INVALID');
    expect(error.details).toContainEqual(
      expect.objectContaining({ line: 8, message: expect.stringContaining('both a holiday and a makeup workday') }),
    );
  });

  it('rejects dates outside the stated year', () => {
    const error = problems(() => parseHolidayNotice(`${text2027}holiday: 2026-12-31 元旦\n`));
    expect(error.details).toContainEqual(
      expect.objectContaining({ line: 8, message: expect.stringContaining('not in the stated year 2027') }),
    );
  });

  it('rejects duplicate dates, including overlapping ranges', () => {
    const error = problems(() => parseHolidayNotice(`${text2027}holiday: 2027-02-12..2027-02-13 春节\n`));
    expect(error.details.filter((d) => d.message.includes('listed twice'))).toHaveLength(2);
  });

  it('rejects a weekday as a makeup workday', () => {
    const error = problems(() => parseHolidayNotice(`${text2027}makeup: 2027-02-15 春节\n`));
    expect(error.details).toContainEqual(expect.objectContaining({ message: expect.stringContaining('is a weekday') }));
  });

  it('lists every problem at once, with the field path for JSON', () => {
    const error = problems(() =>
      validateHolidayYear({
        year: 2027,
        holidays: [{ date: '2027-02-30', name: '春节' }, { name: 'x' }],
        makeupWorkdays: 'no',
      }),
    );
    const paths = error.details.map((d) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining(['holidays[0]', 'holidays[1]', 'makeupWorkdays', 'notice', 'published']),
    );
  });

  it('rejects unknown directives and malformed lines with their line numbers', () => {
    const error = problems(() =>
      parseHolidayNotice('year: 2027\nnotice: x\npublished: 2026-11-05\nholliday: 2027-01-01 元旦\nnonsense'),
    );
    expect(error.details.map((d) => d.line)).toEqual([4, 5]);
  });

  it('rejects broken JSON as CALENDAR_INVALID', () => {
    expect(problems(() => parseHolidayNotice('{ "year": 2027, ')).code).toBe('CALENDAR_INVALID');
  });
});
