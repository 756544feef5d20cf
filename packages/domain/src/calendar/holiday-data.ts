/**
 * The shape of statutory-holiday data: one entry per calendar year, each with the State
 * Council General Office notice(s) it comes from. Kept as data (packages/domain/data/
 * cn-holidays.json, provenance in data/SOURCES.md) so a new year is an import, not a release.
 */
import type { CivilDate } from './civil-date.ts';
import dataset from '../../data/cn-holidays.json' with { type: 'json' };

export interface NamedDate {
  date: CivilDate;
  /** the festival, in Chinese as the notice writes it (春节, 国庆节、中秋节 …) */
  name: string;
}

export interface HolidayNoticeRef {
  /** 发文字号, e.g. 国办发明电〔2023〕7号; null where we have not verified it */
  notice: string | null;
  /** date the notice was issued (成文日期) or first published */
  published: CivilDate | null;
  url?: string | null;
  note?: string;
}

export interface HolidayYear extends HolidayNoticeRef {
  /** the calendar year every date below falls in */
  year: number;
  /** later notices that changed this year (2019 Labour Day, 2020 Spring Festival …) */
  amendments?: HolidayNoticeRef[];
  /** 'notice': compared by hand with the notice text; 'package': taken from chinese-days only */
  checked?: 'notice' | 'package';
  /** 放假 days, including weekend days inside a holiday period where the source lists them */
  holidays: NamedDate[];
  /** 调休上班: weekend days that are working days */
  makeupWorkdays: NamedDate[];
}

export interface HolidayDataset {
  source: string;
  years: HolidayYear[];
}

/** Statutory holidays and make-up workdays 2004–2026 (see data/SOURCES.md). */
export const cnHolidayDataset: HolidayDataset = dataset as HolidayDataset;
