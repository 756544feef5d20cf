import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sm2 } from 'sm-crypto-v2';
import { AppError, type AppErrorDetail } from '@guotu/domain';

/**
 * The whole configuration, parsed once at start from the environment (the only place that
 * reads `process.env`). Every problem is listed; the caller exits non-zero before listening.
 */
export interface Config {
  /** TCP port for HTTP (default 3000) */
  port: number;
  host: string;
  /** embedded database, blobs and the generated session secret live here */
  dataDir: string;
  /** PostgreSQL instead of the embedded PGlite when set */
  databaseUrl: string | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** ≥ 32 characters; generated into DATA_DIR/session-secret when not given */
  sessionSecret: string;
  /** session lifetime in hours (default 12: one working day plus margin) */
  sessionTtlHours: number;
  /** failed logins before the account locks (default 5) */
  lockoutThreshold: number;
  /** how long a locked account stays locked, minutes (default 15) */
  lockoutMinutes: number;
  /** login attempts per IP per minute before 429 (default 20) */
  loginRateLimitPerMinute: number;
  /** set cookies `Secure` (default: true when TRUST_PROXY is set, i.e. behind TLS) */
  secureCookies: boolean;
  trustProxy: boolean;
  /** seed demo data into an empty database at start (default true for the embedded DB) */
  seedDemoOnEmpty: boolean;
  /**
   * also make the ten demo cases (README "Try a case") when the demo data is seeded; default false:
   * they take seconds of every fresh start (tests, e2e servers). `npm start` turns it on.
   */
  demoCases: boolean;
  /** directory of the built web app; null = do not serve the web */
  webDist: string | null;
  /** run job workers in this process (default true) */
  runWorkers: boolean;
  /** SMS and email delivery (SMS_MODE, SMPP_*, MAIL_MODE, SMTP_*, MAIL_FROM); docs/notifications.md */
  notifications: NotificationSettings;
  /** SM2 key pair (hex) signing audit checkpoints; generated into DATA_DIR/audit-sm2-key.json when not given */
  auditSigningKey: { privateKey: string; publicKey: string };
  /** minutes between signed audit checkpoints (default 60; 0 = only on demand) */
  auditCheckpointMinutes: number;
  /** seconds between supervision passes raising yellow/red cards (default 60; 0 = off) */
  supervisionIntervalSeconds: number;
  /** working days an alert may stay unresolved before it escalates to the supervision office (default 2) */
  escalationWorkingDays: number;
  /** largest attachment accepted, bytes (BLOB_MAX_MB, default 50 MB) */
  blobMaxBytes: number;
  /** case-event feed webhook (FEED_WEBHOOK_URL, FEED_WEBHOOK_SECRET → HMAC-SHA256, else SM2 with the audit key); docs/supervision.md */
  feed: { webhookUrl: string | null; hmacSecret: string | null; retryDelaySeconds: number };
  /** the portal's public address, printed on documents for their verification link (PUBLIC_BASE_URL; default http://localhost:PORT) */
  publicBaseUrl: string;
}

/** `store` (the embedded default): nothing leaves the machine; messages stay in the outbox. */
export interface NotificationSettings {
  sms:
    | { mode: 'store' }
    | { mode: 'smpp'; host: string; port: number; systemId: string; password: string; sourceAddr: string };
  mail:
    | { mode: 'store'; from: string }
    | { mode: 'smtp'; host: string; port: number; user: string | null; password: string | null; from: string };
  /** retries of a failed send after the first attempt (default 8) */
  retryLimit: number;
  /** seconds; base of the exponential backoff between retries (default 10: ~10 s, 20 s, 40 s … ~40 min in all) */
  retryDelaySeconds: number;
}

type Env = Record<string, string | undefined>;

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function intSetting(
  env: Env,
  key: string,
  fallback: number,
  problems: AppErrorDetail[],
  range: [number, number],
): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < range[0] || value > range[1]) {
    problems.push({
      path: key,
      message: `${key} must be an integer between ${range[0]} and ${range[1]}, got "${raw}"`,
    });
    return fallback;
  }
  return value;
}

function boolSetting(env: Env, key: string, fallback: boolean, problems: AppErrorDetail[]): boolean {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  problems.push({ path: key, message: `${key} must be true or false, got "${raw}"` });
  return fallback;
}

/** Reads the secret from the environment or DATA_DIR; generates and keeps one if neither has it. */
function publicBaseUrl(env: Env, problems: AppErrorDetail[]): string {
  const raw = env.PUBLIC_BASE_URL && env.PUBLIC_BASE_URL !== '' ? env.PUBLIC_BASE_URL : null;
  if (raw === null) return `http://localhost:${env.PORT && /^\d+$/.test(env.PORT) ? env.PORT : '3000'}`;
  if (!/^https?:\/\/[^\s/]+/.test(raw))
    problems.push({ path: 'PUBLIC_BASE_URL', message: 'an http(s) URL, e.g. https://zwfw.example.gov.cn' });
  return raw.replace(/\/+$/, '');
}

function resolveSessionSecret(env: Env, dataDir: string, problems: AppErrorDetail[]): string {
  const given = env.SESSION_SECRET;
  if (given !== undefined && given !== '') {
    if (given.length < 32)
      problems.push({ path: 'SESSION_SECRET', message: 'SESSION_SECRET must be at least 32 characters' });
    return given;
  }
  if (problems.some((p) => p.path === 'DATA_DIR')) return '';
  const file = path.join(dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

export function parseConfig(env: Env, cwd: string): Config {
  const problems: AppErrorDetail[] = [];
  const port = intSetting(env, 'PORT', 3000, problems, [0, 65535]);
  const host = env.HOST && env.HOST !== '' ? env.HOST : '0.0.0.0';
  const dataDir = path.resolve(cwd, env.DATA_DIR && env.DATA_DIR !== '' ? env.DATA_DIR : './data');
  if (existsSync(dataDir) && !existsSync(path.join(dataDir, '.')))
    problems.push({ path: 'DATA_DIR', message: `${dataDir} is not a directory` });

  let databaseUrl: string | null = null;
  if (env.DATABASE_URL && env.DATABASE_URL !== '') {
    try {
      const url = new URL(env.DATABASE_URL);
      if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new TypeError('protocol');
      databaseUrl = env.DATABASE_URL;
    } catch {
      problems.push({ path: 'DATABASE_URL', message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' });
    }
  }

  const rawLevel = env.LOG_LEVEL && env.LOG_LEVEL !== '' ? env.LOG_LEVEL : 'info';
  const logLevel = (logLevels as readonly string[]).includes(rawLevel) ? (rawLevel as Config['logLevel']) : 'info';
  if (logLevel !== rawLevel)
    problems.push({
      path: 'LOG_LEVEL',
      message: `LOG_LEVEL must be one of ${logLevels.join(', ')}, got "${rawLevel}"`,
    });

  const trustProxy = boolSetting(env, 'TRUST_PROXY', false, problems);
  const config: Config = {
    port,
    host,
    dataDir,
    databaseUrl,
    logLevel,
    sessionSecret: '',
    sessionTtlHours: intSetting(env, 'SESSION_TTL_HOURS', 12, problems, [1, 24 * 30]),
    lockoutThreshold: intSetting(env, 'LOCKOUT_THRESHOLD', 5, problems, [1, 100]),
    lockoutMinutes: intSetting(env, 'LOCKOUT_MINUTES', 15, problems, [1, 24 * 60]),
    loginRateLimitPerMinute: intSetting(env, 'LOGIN_RATE_LIMIT', 20, problems, [1, 10_000]),
    trustProxy,
    secureCookies: boolSetting(env, 'SECURE_COOKIES', trustProxy, problems),
    seedDemoOnEmpty: boolSetting(env, 'SEED_DEMO', true, problems),
    demoCases: boolSetting(env, 'DEMO_CASES', false, problems),
    webDist:
      env.WEB_DIST === 'none'
        ? null
        : path.resolve(cwd, env.WEB_DIST && env.WEB_DIST !== '' ? env.WEB_DIST : defaultWebDist()),
    runWorkers: boolSetting(env, 'RUN_WORKERS', true, problems),
    notifications: notificationSettings(env, problems),
    auditSigningKey: { privateKey: '', publicKey: '' },
    auditCheckpointMinutes: intSetting(env, 'AUDIT_CHECKPOINT_MINUTES', 60, problems, [0, 7 * 24 * 60]),
    supervisionIntervalSeconds: intSetting(env, 'SUPERVISION_INTERVAL_SECONDS', 60, problems, [0, 24 * 3600]),
    escalationWorkingDays: intSetting(env, 'ESCALATION_WORKING_DAYS', 2, problems, [1, 60]),
    blobMaxBytes: intSetting(env, 'BLOB_MAX_MB', 50, problems, [1, 2048]) * 1024 * 1024,
    publicBaseUrl: publicBaseUrl(env, problems),
    feed: {
      webhookUrl: env.FEED_WEBHOOK_URL && env.FEED_WEBHOOK_URL !== '' ? env.FEED_WEBHOOK_URL : null,
      hmacSecret: env.FEED_WEBHOOK_SECRET && env.FEED_WEBHOOK_SECRET !== '' ? env.FEED_WEBHOOK_SECRET : null,
      // seconds; base of pg-boss's exponential backoff between push retries
      retryDelaySeconds: intSetting(env, 'FEED_RETRY_DELAY_SECONDS', 10, problems, [1, 3600]),
    },
  };
  if (problems.length === 0) config.sessionSecret = resolveSessionSecret(env, dataDir, problems);
  if (problems.length === 0) config.auditSigningKey = resolveAuditKey(env, dataDir, problems);
  if (problems.length > 0) {
    throw new AppError('CONFIG_INVALID', `configuration has ${problems.length} problem(s)`, problems);
  }
  return config;
}

/** AUDIT_SM2_PRIVATE_KEY + AUDIT_SM2_PUBLIC_KEY (hex), else a key pair kept in DATA_DIR. */
function resolveAuditKey(env: Env, dataDir: string, problems: AppErrorDetail[]): Config['auditSigningKey'] {
  const privateKey = env.AUDIT_SM2_PRIVATE_KEY ?? '';
  const publicKey = env.AUDIT_SM2_PUBLIC_KEY ?? '';
  if (privateKey !== '' || publicKey !== '') {
    if (!/^[0-9a-f]{64}$/i.test(privateKey))
      problems.push({ path: 'AUDIT_SM2_PRIVATE_KEY', message: 'must be 64 hex digits (an SM2 private key)' });
    if (!/^04[0-9a-f]{128}$/i.test(publicKey))
      problems.push({
        path: 'AUDIT_SM2_PUBLIC_KEY',
        message: 'must be 130 hex digits starting 04 (an uncompressed SM2 public key)',
      });
    return { privateKey, publicKey };
  }
  const file = path.join(dataDir, 'audit-sm2-key.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Config['auditSigningKey'];
  mkdirSync(dataDir, { recursive: true });
  const pair = sm2.generateKeyPairHex();
  const key = { privateKey: pair.privateKey, publicKey: pair.publicKey };
  writeFileSync(file, JSON.stringify(key) + '\n', { mode: 0o600 });
  return key;
}

function defaultWebDist(): string {
  return path.resolve(import.meta.dirname, '../../../web/dist');
}

/** Formats a CONFIG_INVALID error for the terminal: one line per problem. */
export function formatConfigProblems(error: AppError): string {
  return [
    `Guotu cannot start: ${error.message}`,
    ...error.details.map((d) => `  - ${d.path ?? '?'}: ${d.message}`),
  ].join('\n');
}

function requiredText(env: Env, key: string, why: string, problems: AppErrorDetail[], maxLength = 255): string {
  const value = env[key] ?? '';
  if (value === '') problems.push({ path: key, message: `${key} is required ${why}` });
  else if (value.length > maxLength)
    problems.push({ path: key, message: `${key} must be at most ${maxLength} characters (SMPP 3.4 field size)` });
  return value;
}

function notificationSettings(env: Env, problems: AppErrorDetail[]): NotificationSettings {
  const smsMode = env.SMS_MODE && env.SMS_MODE !== '' ? env.SMS_MODE : 'store';
  const mailMode = env.MAIL_MODE && env.MAIL_MODE !== '' ? env.MAIL_MODE : 'store';
  if (smsMode !== 'store' && smsMode !== 'smpp')
    problems.push({ path: 'SMS_MODE', message: `SMS_MODE must be store or smpp, got "${smsMode}"` });
  if (mailMode !== 'store' && mailMode !== 'smtp')
    problems.push({ path: 'MAIL_MODE', message: `MAIL_MODE must be store or smtp, got "${mailMode}"` });
  const fromRaw = env.MAIL_FROM ?? '';
  if (fromRaw !== '' && !/^(?:[^<>]*<)?[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>?$/.test(fromRaw))
    problems.push({ path: 'MAIL_FROM', message: `MAIL_FROM must be an address or "Name <address>", got "${fromRaw}"` });
  const sms: NotificationSettings['sms'] =
    smsMode === 'smpp'
      ? {
          mode: 'smpp',
          host: requiredText(env, 'SMPP_HOST', 'when SMS_MODE=smpp', problems),
          port: intSetting(env, 'SMPP_PORT', 2775, problems, [1, 65535]),
          // C-Octet String sizes include the terminating NUL: system_id 16, password 9, source_addr 21
          systemId: requiredText(env, 'SMPP_SYSTEM_ID', 'when SMS_MODE=smpp', problems, 15),
          password: requiredText(env, 'SMPP_PASSWORD', 'when SMS_MODE=smpp', problems, 8),
          sourceAddr: requiredText(env, 'SMPP_SOURCE_ADDR', 'when SMS_MODE=smpp (our sender number)', problems, 20),
        }
      : { mode: 'store' };
  let mail: NotificationSettings['mail'] = { mode: 'store', from: fromRaw !== '' ? fromRaw : 'noreply@guotu.invalid' };
  if (mailMode === 'smtp') {
    const user = env.SMTP_USER && env.SMTP_USER !== '' ? env.SMTP_USER : null;
    const password = env.SMTP_PASSWORD && env.SMTP_PASSWORD !== '' ? env.SMTP_PASSWORD : null;
    if ((user === null) !== (password === null))
      problems.push({ path: user ? 'SMTP_PASSWORD' : 'SMTP_USER', message: 'SMTP_USER and SMTP_PASSWORD go together' });
    mail = {
      mode: 'smtp',
      host: requiredText(env, 'SMTP_HOST', 'when MAIL_MODE=smtp', problems),
      port: intSetting(env, 'SMTP_PORT', 587, problems, [1, 65535]),
      user,
      password,
      from: requiredText(env, 'MAIL_FROM', 'when MAIL_MODE=smtp', problems),
    };
  }
  return {
    sms,
    mail,
    retryLimit: intSetting(env, 'NOTIFY_RETRY_LIMIT', 8, problems, [0, 20]),
    retryDelaySeconds: intSetting(env, 'NOTIFY_RETRY_DELAY_SECONDS', 10, problems, [1, 3600]),
  };
}
