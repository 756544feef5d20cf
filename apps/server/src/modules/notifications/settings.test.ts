import { AppError } from '@guotu/domain';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../platform/config.ts';

const base = { DATA_DIR: '/tmp/guotu-settings-test', SESSION_SECRET: 'x'.repeat(40) };

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig({ ...base, ...env }, '/');
  } catch (error) {
    if (error instanceof AppError) return error.details.map((d) => d.path ?? '?');
    throw error;
  }
  return [];
}

describe('notification settings', () => {
  it('defaults to store mode: nothing leaves the machine', () => {
    const config = parseConfig(base, '/');
    expect(config.notifications).toMatchObject({
      sms: { mode: 'store' },
      mail: { mode: 'store' },
      retryLimit: 8,
      retryDelaySeconds: 10,
    });
  });

  it('lists every missing or malformed SMPP and SMTP setting at once', () => {
    expect(
      problemsOf({
        SMS_MODE: 'smpp',
        MAIL_MODE: 'smtp',
        SMPP_PORT: 'x',
        SMPP_PASSWORD: 'much-too-long',
        SMTP_USER: 'u',
        MAIL_FROM: 'not an address',
      }),
    ).toEqual(
      expect.arrayContaining([
        'SMPP_HOST',
        'SMPP_PORT',
        'SMPP_SYSTEM_ID',
        'SMPP_PASSWORD',
        'SMPP_SOURCE_ADDR',
        'SMTP_HOST',
        'SMTP_PASSWORD',
        'MAIL_FROM',
      ]),
    );
    expect(problemsOf({ SMS_MODE: 'cmpp', MAIL_MODE: 'sendmail' })).toEqual(['SMS_MODE', 'MAIL_MODE']);
  });

  it('reads a complete SMPP and SMTP configuration', () => {
    const config = parseConfig(
      {
        ...base,
        SMS_MODE: 'smpp',
        SMPP_HOST: 'smsc.example.cn',
        SMPP_SYSTEM_ID: 'guotu',
        SMPP_PASSWORD: 'pw123456',
        SMPP_SOURCE_ADDR: '10690000',
        MAIL_MODE: 'smtp',
        SMTP_HOST: 'mail.example.cn',
        MAIL_FROM: '省自然资源厅 <noreply@example.cn>',
      },
      '/',
    );
    expect(config.notifications.sms).toEqual({
      mode: 'smpp',
      host: 'smsc.example.cn',
      port: 2775,
      systemId: 'guotu',
      password: 'pw123456',
      sourceAddr: '10690000',
    });
    expect(config.notifications.mail).toEqual({
      mode: 'smtp',
      host: 'mail.example.cn',
      port: 587,
      user: null,
      password: null,
      from: '省自然资源厅 <noreply@example.cn>',
    });
  });
});
