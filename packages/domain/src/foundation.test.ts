import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.ts';
import { childPath, isWithinScope } from './org.ts';
import { hasPermission } from './actor.ts';
import { permissions, rolePermissions, roleKeys } from './permissions.ts';

describe('org scope', () => {
  it('covers the unit itself and everything below it, nothing beside it', () => {
    const province = '/1/';
    const city = childPath(province, 5);
    const county = childPath(city, 42);
    expect(isWithinScope(province, county)).toBe(true);
    expect(isWithinScope(city, county)).toBe(true);
    expect(isWithinScope(county, county)).toBe(true);
    expect(isWithinScope(county, city)).toBe(false);
    // '/1/5/' must not cover '/1/50/': ids are delimited
    expect(isWithinScope(city, childPath(province, 50))).toBe(false);
  });
});

describe('roles', () => {
  it('grant only known permissions, and only the admin holds user.manage and org.manage', () => {
    for (const role of roleKeys) for (const p of rolePermissions[role]) expect(permissions).toContain(p);
    const managers = roleKeys.filter(
      (r) => rolePermissions[r].includes('user.manage') || rolePermissions[r].includes('org.manage'),
    );
    expect(managers).toEqual(['admin']);
    expect(hasPermission({ permissions: rolePermissions.window_clerk }, 'case.accept')).toBe(true);
    expect(hasPermission({ permissions: rolePermissions.window_clerk }, 'case.approve')).toBe(false);
  });
});

describe('canonical JSON', () => {
  it('does not depend on key order, so jsonb round trips hash the same', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [1, { y: 2, z: 1 }] }, b: 1 }),
    );
    expect(canonicalJson({ at: new Date('2026-01-01T00:00:00Z'), skip: undefined })).toBe(
      '{"at":"2026-01-01T00:00:00.000Z"}',
    );
  });
});
