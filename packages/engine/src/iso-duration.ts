/**
 * ISO-8601 durations in natural (calendar-free) time. Working-day arithmetic is the host's:
 * the engine never counts holidays (DESIGN.md §Clocks).
 */
export interface IsoDuration {
  years: number;
  months: number;
  days: number;
  /** Hours, minutes, seconds and weeks folded into milliseconds. */
  ms: number;
}

export function parseDuration(text: string): IsoDuration | undefined {
  const m =
    /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(
      text.trim(),
    );
  if (!m || text.trim() === 'P' || text.trim().endsWith('T')) return undefined;
  const n = (i: number): number => Number(m[i] ?? 0);
  return { years: n(1), months: n(2), days: n(4) + 7 * n(3), ms: ((n(5) * 60 + n(6)) * 60 + n(7)) * 1000 };
}

/** `R3/PT1H` → 3 repetitions of PT1H; `R/PT1H` (unbounded) is capped by the caller. */
export function parseCycle(text: string): { repetitions: number; interval: IsoDuration } | undefined {
  const m = /^R(\d*)\/(P[^/]+)$/.exec(text.trim());
  if (!m) {
    const d = parseDuration(text);
    return d ? { repetitions: 1, interval: d } : undefined;
  }
  const interval = parseDuration(m[2] ?? '');
  if (!interval) return undefined;
  return { repetitions: m[1] === '' ? Number.MAX_SAFE_INTEGER : Number(m[1]), interval };
}

export function addDuration(iso: string, d: IsoDuration): string {
  const t = new Date(iso);
  t.setUTCFullYear(t.getUTCFullYear() + d.years, t.getUTCMonth() + d.months, t.getUTCDate() + d.days);
  return new Date(t.getTime() + d.ms).toISOString();
}

export function isValidDate(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T/.test(text) && !Number.isNaN(Date.parse(text));
}
