import { AppError, type AppErrorDetail } from '@guotu/domain';

/**
 * The notification events the platform raises, each with the variables its callers must pass.
 * Templates (per event and channel) live in the database and are editable by admins; an edit may
 * use only the variables declared here, so an admin edit can never make `notify()` fail inside a
 * caller's transaction. A new event = a line here + default templates in a migration.
 */
export const notificationEvents = {
  'case.received': {
    description: '收件：申请材料已接收',
    variables: ['applicantName', 'matterName', 'caseRef', 'receivedDate'],
  },
  'case.accepted': {
    description: '受理：申请已受理',
    variables: ['applicantName', 'matterName', 'caseNumber', 'queryCode', 'dueDate'],
  },
  'case.supplement_requested': {
    description: '补正：一次性告知需补正的材料',
    variables: ['applicantName', 'matterName', 'caseRef', 'missingMaterials'],
  },
  'case.refused': { description: '不予受理', variables: ['applicantName', 'matterName', 'caseRef', 'reason'] },
  'case.decided': {
    description: '审批决定已作出',
    variables: ['applicantName', 'matterName', 'caseNumber', 'decision'],
  },
  'case.issued': {
    description: '发文：批复已印发',
    variables: ['applicantName', 'matterName', 'caseNumber', 'documentNumber'],
  },
  'clock.warning': {
    description: '电子监察预警：办理时限将到',
    variables: ['recipientName', 'caseNumber', 'stepName', 'dueDate', 'remaining'],
  },
  'clock.overdue': {
    description: '电子监察报警：办理已超时',
    variables: ['recipientName', 'caseNumber', 'stepName', 'dueDate', 'overdue'],
  },
  'applicant.login_code': { description: '申请人登录验证码（短信）', variables: ['code', 'minutes'] },
  'workflow.urged': {
    description: '催办：请尽快办理待办环节',
    variables: ['recipientName', 'urgedBy', 'caseNumber', 'taskName', 'message'],
  },
  'workflow.circulated': {
    description: '传阅：收到一份传阅（抄送）',
    variables: ['recipientName', 'from', 'caseNumber', 'taskName', 'message'],
  },
  'supervision.order_issued': {
    description: '督办单已下发',
    variables: ['recipientName', 'caseNumber', 'orderNumber', 'reason', 'replyBy'],
  },
} as const satisfies Record<string, { description: string; variables: readonly string[] }>;

export type NotificationEvent = keyof typeof notificationEvents;
export const notificationChannels = ['sms', 'email', 'inApp'] as const;
export type NotificationChannel = (typeof notificationChannels)[number];

export function isNotificationEvent(value: string): value is NotificationEvent {
  return Object.hasOwn(notificationEvents, value);
}

export type TemplateVariables = Readonly<Record<string, string | number>>;

// `{{name}}` or `{{ name }}`; names are identifiers. Anything else with braces is a syntax error.
const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

/** The variable names a template text uses, in order of first use; throws on malformed braces. */
export function placeholdersOf(text: string, path: string): string[] {
  const rest = text.replace(PLACEHOLDER, '');
  if (rest.includes('{{') || rest.includes('}}')) {
    throw new AppError('VALIDATION_FAILED', `malformed placeholder in ${path}`, [
      { path, message: 'placeholders are written {{name}} with a letter-first name' },
    ]);
  }
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''))];
}

/**
 * Checks an edited template against its event: syntax, and only declared variables. Every
 * problem is listed.
 */
export function validateTemplate(
  event: NotificationEvent,
  template: { subject: string | null; body: string },
  basePath = 'body',
): void {
  const allowed = new Set<string>(notificationEvents[event].variables);
  const problems: AppErrorDetail[] = [];
  for (const [field, text] of [
    ['subject', template.subject],
    ['body', template.body],
  ] as const) {
    if (text === null) continue;
    const path = `${basePath}.${field}`;
    let names: string[] = [];
    try {
      names = placeholdersOf(text, path);
    } catch (error) {
      if (error instanceof AppError) problems.push(...error.details);
      else throw error;
    }
    for (const name of names) {
      if (!allowed.has(name))
        problems.push({ path, message: `{{${name}}} is not a variable of ${event}; use ${[...allowed].join(', ')}` });
    }
  }
  if (problems.length > 0) throw new AppError('VALIDATION_FAILED', `template for ${event} is not valid`, problems);
}

/**
 * Fills `{{name}}` placeholders. A variable the text needs but the caller did not pass is an
 * error naming it — never a blank in a message sent to a citizen.
 */
export function renderTemplate(text: string, variables: TemplateVariables, where: string): string {
  const missing = placeholdersOf(text, where).filter((name) => !Object.hasOwn(variables, name));
  if (missing.length > 0) {
    throw new AppError(
      'VALIDATION_FAILED',
      `template ${where} needs ${missing.join(', ')}`,
      missing.map((name) => ({ path: `variables.${name}`, message: `required by template ${where}` })),
    );
  }
  return text.replace(PLACEHOLDER, (_all, name: string) => String(variables[name]));
}
