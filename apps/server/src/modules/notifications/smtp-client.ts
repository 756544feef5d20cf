import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';

/** The SMTP relay we hand mail to (config SMTP_*, MAIL_FROM). */
export interface SmtpSettings {
  host: string;
  port: number;
  user: string | null;
  password: string | null;
  from: string;
}

/** A failed hand-over. `permanent`: a 5xx answer — the relay will never take this message. */
export class SmtpError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'SmtpError';
  }
}

/**
 * Hands mail to the relay. Port 465 is implicit TLS; other ports upgrade with STARTTLS when the
 * relay offers it. One connection per message (notifications are few; no pool to leak).
 */
export class SmtpClient {
  readonly #transport: Transporter<SMTPTransport.SentMessageInfo>;
  readonly #from: string;

  constructor(settings: SmtpSettings, options: { timeoutMs?: number } = {}) {
    const timeout = options.timeoutMs ?? 15_000;
    this.#from = settings.from;
    this.#transport = nodemailer.createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.port === 465,
      ...(settings.user ? { auth: { user: settings.user, pass: settings.password ?? '' } } : {}),
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    });
  }

  /**
   * Sends one message; `messageId` is fixed by the caller (from the outbox id) so a resend after a
   * crash carries the same Message-ID and receiving systems can recognise the duplicate.
   */
  async send(mail: { to: string; subject: string; text: string; messageId: string }): Promise<string> {
    try {
      const info = await this.#transport.sendMail({
        from: this.#from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId: mail.messageId,
      });
      if (info.rejected.length > 0) throw new SmtpError(`relay rejected ${info.rejected.map(String).join(', ')}`, true);
      return info.messageId;
    } catch (error) {
      if (error instanceof SmtpError) throw error;
      const responseCode = (error as { responseCode?: number }).responseCode;
      const message = error instanceof Error ? error.message : String(error);
      throw new SmtpError(`SMTP: ${message}`, responseCode !== undefined && responseCode >= 500 && responseCode < 600);
    }
  }

  close(): void {
    this.#transport.close();
  }
}
