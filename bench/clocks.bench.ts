/**
 * Statutory-clock benchmark (issue 3): 1,000,000 due-date computations.
 * Run: npx tsx bench/clocks.bench.ts   → prints a figure line, writes bench/results/clocks.json.
 *
 * Inputs: start dates uniform in 2024-01-01 … 2026-09-30 (so that +60 working days stays inside
 * the covered years; beyond 2026 the calendar refuses to guess), N uniform in 1 … 60.
 * Inputs are generated before timing with a fixed-seed LCG so runs are comparable.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  addWorkingDayNumbers,
  addWorkingDays,
  createChinaWorkingCalendar,
  evaluateClock,
  formatDayNumber,
  parseCivilDate,
} from '../packages/domain/src/index.ts';

const count = 1_000_000;
const calendar = createChinaWorkingCalendar();
const firstStart = parseCivilDate('2024-01-01');
const lastStart = parseCivilDate('2026-09-30');

let seed = 42;
const next = (): number => {
  seed = (Math.imul(seed, 1_664_525) + 1_013_904_223) >>> 0;
  return seed / 2 ** 32;
};
const startDays = new Int32Array(count);
const ns = new Int32Array(count);
const startDates: string[] = new Array<string>(count);
for (let i = 0; i < count; i++) {
  startDays[i] = firstStart + Math.floor(next() * (lastStart - firstStart + 1));
  ns[i] = 1 + Math.floor(next() * 60);
  startDates[i] = formatDayNumber(startDays[i]!);
}

function time(run: () => number): { seconds: number; checksum: number } {
  run(); // warm-up: let the JIT compile the hot path
  const t0 = process.hrtime.bigint();
  const checksum = run();
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, checksum };
}

const dayNumbers = time(() => {
  let sum = 0;
  for (let i = 0; i < count; i++) sum += addWorkingDayNumbers(calendar, startDays[i]!, ns[i]!);
  return sum;
});
const civilDates = time(() => {
  let sum = 0;
  for (let i = 0; i < count; i++) sum += addWorkingDays(calendar, startDates[i]!, ns[i]!).length;
  return sum;
});
const clockCount = 100_000;
const clocks = time(() => {
  let sum = 0;
  for (let i = 0; i < clockCount; i++) {
    const startMs = startDays[i]! * 86_400_000 + 3_600_000; // 09:00 Shanghai
    const e = evaluateClock(calendar, { unit: 'workday', start: startMs, limit: ns[i]! }, startMs + 86_400_000);
    sum += e.due?.epochMs ?? 0;
  }
  return sum;
});

const rate = (n: number, s: number): string => `${(n / s / 1e6).toFixed(1)}M/s`;
// The figure line (YYYY-MM-DD in and out, what callers use), then the details.
console.log(`clocks: ${count} due dates in ${civilDates.seconds.toFixed(2)} s (${rate(count, civilDates.seconds)})`);
console.log(
  `  addWorkingDays on YYYY-MM-DD strings: ${civilDates.seconds.toFixed(3)} s; on day numbers: ${dayNumbers.seconds.toFixed(3)} s (${rate(count, dayNumbers.seconds)})`,
);
console.log(
  `  evaluateClock: ${clockCount} clocks in ${clocks.seconds.toFixed(3)} s (${rate(clockCount, clocks.seconds)})`,
);

const results = {
  benchmark: 'clocks',
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  goalSeconds: 0.5,
  dueDates: {
    count,
    seconds: civilDates.seconds,
    perSecond: count / civilDates.seconds,
    api: 'addWorkingDays (CivilDate strings)',
  },
  dueDatesDayNumbers: {
    count,
    seconds: dayNumbers.seconds,
    perSecond: count / dayNumbers.seconds,
    api: 'addWorkingDayNumbers',
  },
  evaluateClock: { count: clockCount, seconds: clocks.seconds, perSecond: clockCount / clocks.seconds },
};
const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'clocks.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
if (civilDates.seconds > results.goalSeconds) {
  console.error(`clocks: slower than the ${results.goalSeconds} s goal`);
  process.exitCode = 1;
}
