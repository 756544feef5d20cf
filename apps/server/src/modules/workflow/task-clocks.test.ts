import { describe, expect, it } from 'vitest';
import { taskClockState } from './task-clocks.ts';

const at = (iso: string) => new Date(iso);
const base = {
  dueAt: at('2026-03-10T10:00:00Z'),
  warnAt: at('2026-03-09T10:00:00Z'),
  dueProblem: null,
  stoppedAt: null,
  pauses: [],
};

describe('taskClockState', () => {
  it('is normal before the warning instant, due soon from it, overdue after the due instant', () => {
    expect(taskClockState(base, at('2026-03-09T09:59:59Z'))).toBe('normal');
    expect(taskClockState(base, at('2026-03-09T10:00:00Z'))).toBe('dueSoon');
    expect(taskClockState(base, at('2026-03-10T10:00:00Z'))).toBe('dueSoon');
    expect(taskClockState(base, at('2026-03-10T10:00:01Z'))).toBe('overdue');
  });

  it('is paused during an open pause (no due instant) and during a pause with an end', () => {
    const open = { ...base, dueAt: null, warnAt: null, dueProblem: 'paused', pauses: [] };
    expect(taskClockState(open, at('2026-03-20T00:00:00Z'))).toBe('paused');
    const planned = { ...base, pauses: [{ from: '2026-03-01T00:00:00Z', to: '2026-03-05T00:00:00Z' }] };
    expect(taskClockState(planned, at('2026-03-02T00:00:00Z'))).toBe('paused');
    expect(taskClockState(planned, at('2026-03-05T00:00:00Z'))).toBe('normal');
  });

  it('keeps a step that was already late overdue when a pause begins after its deadline', () => {
    const late = { ...base, pauses: [{ from: '2026-03-11T00:00:00Z', to: null }] };
    expect(taskClockState(late, at('2026-03-12T00:00:00Z'))).toBe('overdue');
  });

  it('judges a stopped clock as of its stop: on time is normal (even inside the warning window), late is overdue', () => {
    expect(taskClockState({ ...base, stoppedAt: at('2026-03-09T12:00:00Z') }, at('2026-04-01T00:00:00Z'))).toBe(
      'normal',
    );
    expect(taskClockState({ ...base, stoppedAt: at('2026-03-11T00:00:00Z') }, at('2026-04-01T00:00:00Z'))).toBe(
      'overdue',
    );
  });

  it('is normal for a running clock whose deadline the calendar does not cover yet', () => {
    const uncovered = { ...base, dueAt: null, warnAt: null, dueProblem: 'calendarNotCovered' };
    expect(taskClockState(uncovered, at('2030-01-01T00:00:00Z'))).toBe('normal');
  });
});
