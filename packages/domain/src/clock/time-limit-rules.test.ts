import { describe, expect, it } from 'vitest';
import { getTimeLimitRule, timeLimitRules } from './time-limit-rules.ts';
import { codeOf } from '../calendar/test-support.ts';

describe('time-limit rules', () => {
  it('has unique keys, positive limits and a legal source on every row', () => {
    expect(new Set(timeLimitRules.map((r) => r.key)).size).toBe(timeLimitRules.length);
    for (const r of timeLimitRules) {
      expect(r.limit).toBeGreaterThan(0);
      expect(r.source.law.length).toBeGreaterThan(0);
      expect(r.source.article.length).toBeGreaterThan(0);
    }
  });

  it('counts 行政许可 limits in working days (行政许可法 §82): 20 + 10 for a decision', () => {
    expect(getTimeLimitRule('licensing.decision')).toMatchObject({ unit: 'workday', limit: 20, extension: 10 });
    expect(getTimeLimitRule('licensing.jointDecision')).toMatchObject({ unit: 'workday', limit: 45, extension: 15 });
  });

  it('counts 信访 and 行政复议 decision limits in calendar days', () => {
    expect(getTimeLimitRule('petition.handling')).toMatchObject({ unit: 'day', limit: 60, extension: 30 });
    expect(getTimeLimitRule('reconsideration.decision')).toMatchObject({ unit: 'day', limit: 60, extension: 30 });
    expect(getTimeLimitRule('reconsideration.acceptance')).toMatchObject({ unit: 'workday', limit: 5 });
  });

  it('holds the province pledge: 15 working days for construction land, 7 for key projects', () => {
    expect(getTimeLimitRule('promised.constructionLand')).toMatchObject({
      kind: 'promisedLimit',
      unit: 'workday',
      limit: 15,
    });
    expect(getTimeLimitRule('promised.keyProject')).toMatchObject({ kind: 'promisedLimit', unit: 'workday', limit: 7 });
  });

  it('answers an unknown key with NOT_FOUND', () => {
    expect(codeOf(() => getTimeLimitRule('nope'))).toBe('NOT_FOUND');
  });
});
