import { describe, expect, it } from 'vitest';
import type { TaskClockState } from '../../api/workflow.ts';
import { zhCN } from '../../i18n/zh-CN.ts';
import { attentionList, clockTag, compareDue, needsAttention } from './due.ts';

const task = (id: string, clockState: TaskClockState | null, dueAt: string | null) => ({ id, clockState, dueAt });

describe('inbox due state', () => {
  const items = [
    task('1', 'normal', '2026-12-10T09:00:00.000Z'),
    task('2', 'overdue', '2026-11-01T09:00:00.000Z'),
    task('3', null, null),
    task('4', 'dueSoon', '2026-11-23T09:00:00.000Z'),
    task('5', 'paused', null),
    task('10', 'dueSoon', '2026-11-20T09:00:00.000Z'),
  ];

  it('keeps only due-soon and overdue tasks when asked, most urgent first', () => {
    expect(attentionList(items, true).map((x) => x.id)).toEqual(['2', '10', '4']);
    expect(attentionList(items, false).map((x) => x.id)).toEqual(['1', '2', '3', '4', '5', '10']);
    expect(needsAttention(task('9', 'paused', null))).toBe(false);
  });

  it('sorts by due time with tasks without one (no limit, paused) last, in id order', () => {
    expect([...items].sort(compareDue).map((x) => x.id)).toEqual(['2', '10', '4', '1', '3', '5']);
    expect(compareDue(task('9', null, null), task('10', null, null))).toBeLessThan(0);
  });

  it('tags due soon yellow, overdue red, paused neutral, and nothing else, with zh-CN labels', () => {
    expect(clockTag('dueSoon')).toEqual({ key: 'tasks.clock.dueSoon', color: 'gold' });
    expect(clockTag('overdue')?.color).toBe('red');
    expect(clockTag('paused')?.key).toBe('tasks.clock.paused');
    expect(clockTag('normal')).toBeUndefined();
    expect(clockTag(null)).toBeUndefined();
    expect(zhCN['tasks.clock.dueSoon']).toBe('临近到期');
    expect(zhCN['tasks.clock.overdue']).toBe('已超期');
    expect(zhCN['tasks.attentionOnly']).toBe('只看临期/超期');
  });
});
