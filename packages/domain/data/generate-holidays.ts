/**
 * Generates cn-holidays.json from the chinese-days package (run: npx tsx packages/domain/data/generate-holidays.ts).
 *
 * chinese-days is a seed, not the authority: the notices are. So this script
 *  - attaches the notice reference per year (table below; see SOURCES.md for which we checked),
 *  - for 2024–2026 uses holiday periods typed by hand from the notice text and fails if the
 *    package disagrees on any date,
 *  - validates every year with the same validator admins' imports go through.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateHolidayYear } from '../src/calendar/notice-import.ts';
import type { HolidayNoticeRef, HolidayYear, NamedDate } from '../src/calendar/holiday-data.ts';

const here = dirname(fileURLToPath(import.meta.url));
const pkgDir = join(here, '../../../node_modules/chinese-days');
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string };
const raw = JSON.parse(readFileSync(join(pkgDir, 'dist/chinese-days.json'), 'utf8')) as {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
};

type Ref = HolidayNoticeRef & { checked: 'notice' | 'package'; amendments?: HolidayNoticeRef[] };
const gov = 'http://www.gov.cn/';
/** Notice per year. `checked: 'notice'` = compared with the notice text; see SOURCES.md. */
const notices: Record<number, Ref> = {
  2004: { notice: null, published: null, url: 'https://zh.wikisource.org/zh-hans/国务院办公厅关于2004年部分节假日安排的通知', checked: 'package', note: '文号未核实' },
  2005: { notice: null, published: null, url: null, checked: 'package', note: '文号未核实; the package cites a zhidao.baidu.com answer' },
  2006: { notice: null, published: null, url: `${gov}jrzg/2005-12/22/content_133837.htm`, checked: 'package', note: '文号未核实' },
  2007: { notice: '国办发明电〔2006〕49号', published: '2006-12-14', url: `${gov}fwxx/sh/2006-12/18/content_471877.htm`, checked: 'notice' },
  2008: { notice: '国办发明电〔2007〕40号', published: null, url: `${gov}zwgk/2007-12/18/content_837184.htm`, checked: 'package', note: '文号 from memory; first year under 国务院令第513号' },
  2009: { notice: '国办发明电〔2008〕35号', published: '2008-12-10', url: `${gov}zwgk/2008-12/10/content_1174014.htm`, checked: 'package' },
  2010: { notice: '国办发明电〔2009〕19号', published: '2009-12-08', url: `${gov}zwgk/2009-12/08/content_1482691.htm`, checked: 'package' },
  2011: { notice: '国办发明电〔2010〕40号', published: '2010-12-10', url: `${gov}zwgk/2010-12/10/content_1762643.htm`, checked: 'package' },
  2012: { notice: '国办发明电〔2011〕39号', published: '2011-12-06', url: `${gov}zwgk/2011-12/06/content_2012097.htm`, checked: 'package' },
  2013: { notice: '国办发明电〔2012〕14号', published: '2012-12-08', url: `${gov}zwgk/2012-12/10/content_2286598.htm`, checked: 'package' },
  2014: { notice: '国办发明电〔2013〕28号', published: '2013-12-11', url: `${gov}zwgk/2013-12/11/content_2546204.htm`, checked: 'package' },
  2015: {
    notice: '国办发明电〔2014〕28号', published: '2014-12-16', url: `${gov}zhengce/content/2014-12/16/content_9302.htm`, checked: 'package',
    amendments: [{ notice: null, published: '2015-05-13', url: `${gov}zhengce/content/2015-05/13/content_9742.htm`, note: '国务院: 抗战胜利70周年纪念日 9月3日–5日 放假, 9月6日 上班; 文号未核实' }],
  },
  2016: { notice: '国办发明电〔2015〕18号', published: '2015-12-10', url: `${gov}zhengce/content/2015-12/10/content_10394.htm`, checked: 'package' },
  2017: { notice: '国办发明电〔2016〕17号', published: '2016-12-01', url: `${gov}zhengce/content/2016-12/01/content_5141603.htm`, checked: 'package' },
  2018: { notice: '国办发明电〔2017〕12号', published: '2017-11-30', url: `${gov}zhengce/content/2017-11/30/content_5243579.htm`, checked: 'package' },
  2019: {
    notice: '国办发明电〔2018〕15号', published: '2018-12-06', url: `${gov}xinwen/2018-12/06/content_5346287.htm`, checked: 'package',
    amendments: [{ notice: '国办发明电〔2019〕2号', published: '2019-03-22', url: `${gov}zhengce/content/2019-03/22/content_5375877.htm`, note: '劳动节改为5月1日至4日' }],
  },
  2020: {
    notice: '国办发明电〔2019〕16号', published: '2019-11-21', url: `${gov}zhengce/content/2019-11/21/content_5454164.htm`, checked: 'package',
    amendments: [{ notice: '国办发明电〔2020〕1号', published: '2020-01-27', url: `${gov}zhengce/content/2020-01/27/content_5472352.htm`, note: '春节假期延长至2月2日 (COVID-19)' }],
  },
  2021: { notice: '国办发明电〔2020〕27号', published: '2020-11-25', url: `${gov}zhengce/content/2020-11/25/content_5564127.htm`, checked: 'package' },
  2022: { notice: '国办发明电〔2021〕11号', published: '2021-10-25', url: `${gov}zhengce/content/2021-10/25/content_5644835.htm`, checked: 'package' },
  2023: { notice: '国办发明电〔2022〕16号', published: '2022-12-08', url: `${gov}zhengce/content/2022-12/08/content_5730844.htm`, checked: 'package' },
  2024: { notice: '国办发明电〔2023〕7号', published: '2023-10-25', url: 'https://www.gov.cn/zhengce/content/202310/content_6911527.htm', checked: 'notice' },
  2025: { notice: '国办发明电〔2024〕12号', published: '2024-11-12', url: 'https://www.gov.cn/zhengce/zhengceku/202411/content_6986383.htm', checked: 'notice' },
  2026: { notice: '国办发明电〔2025〕7号', published: '2025-11-04', url: 'https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm', checked: 'notice' },
};

/** 2024–2026 typed by hand from the notices: [from, to, name] periods and makeup days. */
const byHand: Record<number, { holidays: [string, string, string][]; makeups: [string, string][] }> = {
  2024: {
    holidays: [['2024-01-01', '2024-01-01', '元旦'], ['2024-02-10', '2024-02-17', '春节'], ['2024-04-04', '2024-04-06', '清明节'], ['2024-05-01', '2024-05-05', '劳动节'], ['2024-06-10', '2024-06-10', '端午节'], ['2024-09-15', '2024-09-17', '中秋节'], ['2024-10-01', '2024-10-07', '国庆节']],
    makeups: [['2024-02-04', '春节'], ['2024-02-18', '春节'], ['2024-04-07', '清明节'], ['2024-04-28', '劳动节'], ['2024-05-11', '劳动节'], ['2024-09-14', '中秋节'], ['2024-09-29', '国庆节'], ['2024-10-12', '国庆节']],
  },
  2025: {
    holidays: [['2025-01-01', '2025-01-01', '元旦'], ['2025-01-28', '2025-02-04', '春节'], ['2025-04-04', '2025-04-06', '清明节'], ['2025-05-01', '2025-05-05', '劳动节'], ['2025-05-31', '2025-06-02', '端午节'], ['2025-10-01', '2025-10-08', '国庆节、中秋节']],
    makeups: [['2025-01-26', '春节'], ['2025-02-08', '春节'], ['2025-04-27', '劳动节'], ['2025-09-28', '国庆节、中秋节'], ['2025-10-11', '国庆节、中秋节']],
  },
  2026: {
    holidays: [['2026-01-01', '2026-01-03', '元旦'], ['2026-02-15', '2026-02-23', '春节'], ['2026-04-04', '2026-04-06', '清明节'], ['2026-05-01', '2026-05-05', '劳动节'], ['2026-06-19', '2026-06-21', '端午节'], ['2026-09-25', '2026-09-27', '中秋节'], ['2026-10-01', '2026-10-07', '国庆节']],
    makeups: [['2026-01-04', '元旦'], ['2026-02-14', '春节'], ['2026-02-28', '春节'], ['2026-05-09', '劳动节'], ['2026-09-20', '国庆节'], ['2026-10-10', '国庆节']],
  },
};

const zhName = (label: string): string => {
  const zh = label.split(',')[1] ?? label;
  return ({ 清明: '清明节', 端午: '端午节', 中秋: '中秋节' } as Record<string, string>)[zh] ?? zh;
};

function fromPackage(year: number): { holidays: NamedDate[]; makeupWorkdays: NamedDate[] } {
  const pick = (m: Record<string, string>): NamedDate[] =>
    Object.entries(m).filter(([d]) => d.startsWith(`${year}-`)).map(([date, label]) => ({ date, name: zhName(label) })).sort((a, b) => a.date.localeCompare(b.date));
  return { holidays: pick(raw.holidays), makeupWorkdays: pick(raw.workdays) };
}

function fromHand(year: number): { holidays: unknown[]; makeupWorkdays: unknown[] } {
  const h = byHand[year];
  if (!h) throw new Error(`no hand data for ${year}`);
  return { holidays: h.holidays.map(([from, to, name]) => ({ from, to, name })), makeupWorkdays: h.makeups.map(([date, name]) => ({ date, name })) };
}

function buildYear(year: number): HolidayYear {
  const ref = notices[year];
  if (!ref) throw new Error(`no notice entry for ${year}`);
  const pkgYear = fromPackage(year);
  const input = byHand[year] ? fromHand(year) : pkgYear;
  const valid = validateHolidayYear({ year, notice: ref.notice ?? 'unverified', published: ref.published ?? `${year - 1}-12-01`, ...input });
  if (byHand[year]) {
    const dates = (xs: NamedDate[]): string => xs.map((x) => x.date).join(',');
    if (dates(valid.holidays) !== dates(pkgYear.holidays) || dates(valid.makeupWorkdays) !== dates(pkgYear.makeupWorkdays)) {
      throw new Error(`${year}: the notice (typed by hand) and chinese-days ${pkg.version} disagree`);
    }
  }
  const { checked, amendments, ...noticeRef } = ref;
  return { year, ...noticeRef, ...(amendments ? { amendments } : {}), checked, holidays: valid.holidays, makeupWorkdays: valid.makeupWorkdays };
}

const years: HolidayYear[] = [];
for (let year = 2004; year <= 2026; year++) years.push(buildYear(year));
const out = {
  source: `chinese-days ${pkg.version} (npm) for 2004–2023; 2024–2026 typed from the notices and cross-checked. See SOURCES.md.`,
  years,
};
// One {date, name} per line keeps diffs of a new year readable.
const text = JSON.stringify(out, null, 1).replace(/\{\s+"date": ("[^"]+"),\s+"name": ("[^"]+")\s+\}/g, '{ "date": $1, "name": $2 }');
writeFileSync(join(here, 'cn-holidays.json'), `${text}\n`);
console.log(`wrote ${years.length} years to cn-holidays.json`);
