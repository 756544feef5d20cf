import { describe, expect, it } from 'vitest';
import { periodContaining, previousPeriod } from './bulletin-period.ts';
import { defaultWeights, efficiencyScore } from './scores.ts';

describe('bulletin periods', () => {
  it('takes the Monday–Sunday week around a date, numbered as ISO weeks', () => {
    expect(periodContaining('week', '2026-10-14')).toMatchObject({
      from: '2026-10-12',
      to: '2026-10-18',
      label: '2026年第42周（2026-10-12至2026-10-18）',
    });
    expect(periodContaining('week', '2027-01-01')).toMatchObject({
      from: '2026-12-28',
      to: '2027-01-03',
      label: expect.stringContaining('2026年第53周'),
    });
  });
  it('takes whole months and quarters, leap February included', () => {
    expect(periodContaining('month', '2028-02-10')).toMatchObject({
      from: '2028-02-01',
      to: '2028-02-29',
      label: '2028年2月',
    });
    expect(periodContaining('quarter', '2026-11-21')).toMatchObject({
      from: '2026-10-01',
      to: '2026-12-31',
      label: '2026年第4季度',
    });
  });
  it('publishes for the last complete period by default', () => {
    expect(previousPeriod('month', new Date('2026-11-01T00:30:00+08:00'))).toMatchObject({
      from: '2026-10-01',
      to: '2026-10-31',
    });
    expect(previousPeriod('quarter', new Date('2026-10-31T23:00:00Z'))).toMatchObject({
      from: '2026-07-01',
      to: '2026-09-30',
    });
  });
});

describe('efficiency scores', () => {
  it('weighs on-time, no cards, speed and orders; skips what does not apply', () => {
    const office = efficiencyScore(
      { steps: 10, onTime: 8, withAlert: 4, usedOfLimit: 0.5, orders: 2, ordersLate: 1 },
      defaultWeights,
    );
    // 0.5·0.8 + 0.2·0.6 + 0.2·0.5 + 0.1·0.5 = 0.67
    expect(office.score).toBe(67);
    const person = efficiencyScore(
      { steps: 4, onTime: 4, withAlert: 0, usedOfLimit: null, orders: 0, ordersLate: 0 },
      defaultWeights,
    );
    expect(person.score).toBe(100);
    expect(
      efficiencyScore(
        { steps: 0, onTime: 0, withAlert: 0, usedOfLimit: null, orders: 0, ordersLate: 0 },
        defaultWeights,
      ).score,
    ).toBeNull();
  });
  it('follows edited weights', () => {
    expect(
      efficiencyScore(
        { steps: 10, onTime: 8, withAlert: 4, usedOfLimit: 0.5, orders: 2, ordersLate: 1 },
        { onTime: 1, noWarning: 0, speed: 0, orders: 0 },
      ).score,
    ).toBe(80);
  });
});
