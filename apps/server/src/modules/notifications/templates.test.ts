import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '@guotu/domain';
import { describe, expect, it } from 'vitest';
import { parseReceipt } from './smpp-client.ts';
import { countSmsParts, splitSms } from './sms-parts.ts';
import {
  isNotificationEvent,
  notificationEvents,
  placeholdersOf,
  renderTemplate,
  validateTemplate,
} from './templates.ts';

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('templates', () => {
  it('fills {{variables}}, with or without spaces inside the braces', () => {
    expect(
      renderTemplate(
        '案件{{caseNumber}}于{{ dueDate }}到期',
        { caseNumber: 'HB-2026-0001', dueDate: '2026-12-01' },
        't',
      ),
    ).toBe('案件HB-2026-0001于2026-12-01到期');
  });

  it('refuses to render with a missing variable, naming it, instead of leaving a blank', () => {
    const error = errorOf(() =>
      renderTemplate('{{applicantName}}，受理编号{{caseNumber}}', { applicantName: '张三' }, 'case.accepted/sms.body'),
    );
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toContain('caseNumber');
    expect(error.details).toEqual([
      { path: 'variables.caseNumber', message: 'required by template case.accepted/sms.body' },
    ]);
  });

  it('rejects an edit that uses a variable the event does not have, or broken braces, listing each problem', () => {
    const error = errorOf(() =>
      validateTemplate('clock.warning', {
        subject: '{{caseNumber}} {{applicantName}}',
        body: '剩余{{remaining}} {{oops',
      }),
    );
    expect(error.details.map((d) => d.path)).toEqual(['body.subject', 'body.body']);
    expect(error.details[0]?.message).toContain('{{applicantName}} is not a variable of clock.warning');
    expect(() =>
      validateTemplate('clock.warning', { subject: null, body: '{{caseNumber}}剩余{{remaining}}' }),
    ).not.toThrow();
  });

  it('seeds a default for every event and channel in the migrations, using only declared variables', () => {
    const dir = path.resolve(import.meta.dirname, '../../../migrations');
    const sql = readdirSync(dir)
      .filter((f) => f.endsWith('.sql'))
      .map((f) => readFileSync(path.join(dir, f), 'utf8'))
      .filter((text) => text.includes('insert into notification_templates'))
      .join('\n');
    const rows = [
      ...sql.matchAll(/\('([a-z_.]+)', '(sms|email|inApp)', (null|E?'(?:[^']|'')*'), E?'((?:[^']|'')*)'\)/g),
    ];
    const seen = new Set<string>();
    for (const [, event = '', channel = '', subject = '', body = ''] of rows) {
      expect(isNotificationEvent(event), event).toBe(true);
      if (!isNotificationEvent(event)) continue;
      const unquote = (s: string) => s.replace(/^E?'|'$/g, '').replace(/\\n/g, '\n');
      expect(() =>
        validateTemplate(event, { subject: subject === 'null' ? null : unquote(subject), body: unquote(body) }),
      ).not.toThrow();
      seen.add(`${event}/${channel}`);
    }
    expect(seen.size).toBe(Object.keys(notificationEvents).length * 3);
  });

  it('lists the placeholders in order of first use', () => {
    expect(placeholdersOf('{{a}}{{b}}{{a}}', 'x')).toEqual(['a', 'b']);
  });
});

describe('SMS parts', () => {
  it('sends a short ASCII text as one data_coding 1 message without UDH', () => {
    const parts = splitSms('Case HB-1 due 2026-12-01', 7);
    expect(parts).toEqual([{ payload: Buffer.from('Case HB-1 due 2026-12-01', 'ascii'), dataCoding: 1, esmClass: 0 }]);
  });

  it('sends up to 70 Chinese characters as one UCS-2 message', () => {
    const text = '国'.repeat(70);
    const parts = splitSms(text, 1);
    expect(parts).toHaveLength(1);
    expect(parts[0]?.dataCoding).toBe(8);
    expect(parts[0]?.payload.length).toBe(140);
  });

  it('splits 71+ Chinese characters into 67-character UCS-2 parts with a UDH 05 00 03 ref total seq', () => {
    const text = '自然资源'.repeat(40); // 160 characters → 67 + 67 + 26
    const parts = splitSms(text, 0x1ff);
    expect(parts).toHaveLength(3);
    expect(countSmsParts(text)).toBe(3);
    const decoded = parts.map((p, i) => {
      expect(p.esmClass).toBe(0x40);
      expect(p.dataCoding).toBe(8);
      expect([...p.payload.subarray(0, 6)]).toEqual([0x05, 0x00, 0x03, 0xff, 3, i + 1]);
      expect(p.payload.length).toBeLessThanOrEqual(140);
      return Buffer.from(p.payload.subarray(6)).swap16().toString('utf16le');
    });
    expect(decoded.map((d) => d.length)).toEqual([67, 67, 26]);
    expect(decoded.join('')).toBe(text);
  });

  it('never cuts an emoji (a surrogate pair) between two parts', () => {
    const text = '国'.repeat(66) + '😀' + '土'.repeat(10);
    const parts = splitSms(text, 1).map((p) => Buffer.from(p.payload.subarray(6)).swap16().toString('utf16le'));
    expect(parts[0]).toBe('国'.repeat(66));
    expect(parts.join('')).toBe(text);
  });

  it('uses 153-character parts for a long ASCII text', () => {
    expect(splitSms('x'.repeat(160), 1)).toHaveLength(1);
    expect(splitSms('x'.repeat(161), 1).map((p) => p.payload.length - 6)).toEqual([153, 8]);
  });
});

describe('delivery receipts', () => {
  it('reads the message id from the TLV and the state from the receipt text', () => {
    expect(
      parseReceipt({
        short_message: {
          message: 'id:abc sub:001 dlvrd:001 submit date:2611210800 done date:2611210801 stat:DELIVRD err:000 text:',
        },
        receipted_message_id: 'abc',
      }),
    ).toEqual({ messageId: 'abc', state: 'DELIVRD', error: null });
  });

  it('falls back to the text id and the message_state TLV, and keeps a non-zero error code', () => {
    expect(parseReceipt({ short_message: 'id:77 err:012 text:', message_state: 5 })).toEqual({
      messageId: '77',
      state: 'UNDELIV',
      error: '012',
    });
    expect(parseReceipt({ short_message: 'hello' })).toBeNull();
  });
});
