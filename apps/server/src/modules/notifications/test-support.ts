/**
 * Real protocol servers on loopback for the notification tests — no mocks of SMPP or SMTP:
 * - TestSmsc: an SMSC built with `smpp.createServer` from the same package. Checks the bind's
 *   system_id/password, answers submit_sm with a message id, records every PDU, and sends a
 *   deliver_sm delivery receipt back. Can be stopped (SMSC down) and started on the same port.
 * - TestSmtp: an `smtp-server` relay collecting messages (AUTH checked, no TLS on loopback).
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import smpp, { type PDU, type Session } from 'smpp';
import { SMTPServer } from 'smtp-server';

export interface SubmittedSm {
  messageId: string;
  systemId: string;
  sourceAddr: string;
  destination: string;
  dataCoding: number;
  esmClass: number;
  registeredDelivery: number;
  /** the concatenation information element (00 03 ref total seq) or null */
  udh: Buffer | null;
  text: string;
}

export interface TestSmsc {
  port: number;
  submits: SubmittedSm[];
  /** every PDU received, by command name, in order */
  commands: string[];
  /** message ids whose receipt the client acknowledged */
  receiptsAcked: string[];
  /** destinations answered with ESME_RINVDSTADR */
  rejectDestinations: Set<string>;
  /** the receipt state sent back (DELIVRD by default); null = send no receipt */
  receiptState: string | null;
  /** send the receipt before the submit_sm_resp (a fast SMSC beating the client's bookkeeping) */
  receiptFirst: boolean;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestSmsc(credentials: { systemId: string; password: string }): Promise<TestSmsc> {
  const prefix = randomBytes(3).toString('hex');
  let counter = 0;
  const state: Omit<TestSmsc, 'port' | 'stop' | 'start' | 'close'> = {
    submits: [],
    commands: [],
    receiptsAcked: [],
    rejectDestinations: new Set(),
    receiptState: 'DELIVRD',
    receiptFirst: false,
  };

  const server = smpp.createServer((session: Session) => {
    let boundAs: string | null = null;
    session.on('error', () => {}); // a client vanishing mid-PDU is part of the tests
    session.on('pdu', (pdu: PDU) => state.commands.push(pdu.command));
    const bind = (pdu: PDU) => {
      if (pdu.system_id !== credentials.systemId || pdu.password !== credentials.password) {
        session.send(pdu.response({ command_status: smpp.errors.ESME_RBINDFAIL }));
        session.close();
        return;
      }
      boundAs = String(pdu.system_id);
      session.send(pdu.response({ system_id: 'TESTSMSC' }));
    };
    session.on('bind_transceiver', bind);
    session.on('bind_transmitter', bind);
    session.on('enquire_link', (pdu: PDU) => session.send(pdu.response()));
    session.on('unbind', (pdu: PDU) => {
      session.send(pdu.response());
      session.close();
    });
    session.on('submit_sm', (pdu: PDU) => {
      if (!boundAs) {
        session.send(pdu.response({ command_status: smpp.errors.ESME_RINVBNDSTS }));
        return;
      }
      const destination = String(pdu.destination_addr);
      if (state.rejectDestinations.has(destination)) {
        session.send(pdu.response({ command_status: smpp.errors.ESME_RINVDSTADR }));
        return;
      }
      counter += 1;
      const messageId = `${prefix}${counter.toString(16).padStart(6, '0')}`;
      const sm = pdu.short_message as { udh?: Buffer[]; message?: unknown } | Buffer;
      const udh = !Buffer.isBuffer(sm) && sm.udh && sm.udh.length > 0 ? (sm.udh[0] ?? null) : null;
      const text = Buffer.isBuffer(sm) ? sm.toString('latin1') : String(sm.message);
      state.submits.push({
        messageId,
        systemId: boundAs,
        sourceAddr: String(pdu.source_addr),
        destination,
        dataCoding: Number(pdu.data_coding),
        esmClass: Number(pdu.esm_class),
        registeredDelivery: Number(pdu.registered_delivery),
        udh,
        text,
      });
      const respond = () => session.send(pdu.response({ message_id: messageId }));
      if (!state.receiptFirst) respond();
      const receiptState = state.receiptState;
      if (receiptState && Number(pdu.registered_delivery) & 1) {
        const stamp = '2611210800';
        session.deliver_sm(
          {
            source_addr: destination,
            destination_addr: String(pdu.source_addr),
            esm_class: 0x04,
            short_message: `id:${messageId} sub:001 dlvrd:${receiptState === 'DELIVRD' ? '001' : '000'} submit date:${stamp} done date:${stamp} stat:${receiptState} err:${receiptState === 'DELIVRD' ? '000' : '001'} text:`,
            receipted_message_id: messageId,
            message_state: receiptState === 'DELIVRD' ? 2 : 5,
          },
          (response: PDU) => {
            if (response.command_status === 0) state.receiptsAcked.push(messageId);
          },
        );
      }
      if (state.receiptFirst) setTimeout(respond, 200);
    });
  });

  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const session of [...server.sessions]) session.destroy();
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });
  await listen();
  return Object.assign(state, {
    get port() {
      return port;
    },
    stop,
    start: listen,
    close: stop,
  });
}

export interface ReceivedMail {
  from: string;
  to: string[];
  user: string | null;
  raw: string;
  subject: string;
  text: string;
  messageId: string;
}

export interface TestSmtp {
  port: number;
  messages: ReceivedMail[];
  /** recipients answered with 550 */
  rejectRecipients: Set<string>;
  close(): Promise<void>;
}

export async function startTestSmtp(credentials: { user: string; password: string }): Promise<TestSmtp> {
  const messages: ReceivedMail[] = [];
  const rejectRecipients = new Set<string>();
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true, // loopback only
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === credentials.user && auth.password === credentials.password)
        callback(null, { user: auth.username });
      else callback(new Error('invalid credentials'));
    },
    onRcptTo(address, _session, callback) {
      if (rejectRecipients.has(address.address)) {
        const error = Object.assign(new Error('mailbox unavailable'), { responseCode: 550 });
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const { headers, body } = splitMessage(raw);
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          user: typeof session.user === 'string' ? session.user : null,
          raw,
          subject: decodeWords(headers.get('subject') ?? ''),
          text: decodeBody(body, headers.get('content-transfer-encoding') ?? '7bit'),
          messageId: headers.get('message-id') ?? '',
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    messages,
    rejectRecipients,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Headers (unfolded, lower-case names) and body of a single-part RFC 5322 message. */
function splitMessage(raw: string): { headers: Map<string, string>; body: string } {
  const at = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, at).replace(/\r\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: raw.slice(at + 4) };
}

/** RFC 2047 encoded words; adjacent words are joined as bytes before UTF-8 decoding. */
function decodeWords(value: string): string {
  return value.replace(/(?:=\?([^?]+)\?([BbQq])\?([^?]*)\?=\s*)+/g, (run) => {
    const bytes: Buffer[] = [];
    for (const m of run.matchAll(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g)) {
      const [, , enc = 'B', data = ''] = m;
      bytes.push(enc.toUpperCase() === 'B' ? Buffer.from(data, 'base64') : qpBytes(data.replace(/_/g, ' ')));
    }
    return Buffer.concat(bytes).toString('utf8');
  });
}

function decodeBody(body: string, encoding: string): string {
  const enc = encoding.toLowerCase();
  if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (enc === 'quoted-printable') return qpBytes(body.replace(/=\r\n/g, '')).toString('utf8');
  return body;
}

function qpBytes(text: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] ?? '';
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      out.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(...Buffer.from(c, 'utf8'));
  }
  return Buffer.from(out);
}

/** The SMPP credentials the test SMSC accepts in the journey-style tests. */
export const TEST_SMPP = { systemId: 'guotu', password: 'smsc-pw' } as const;

/**
 * App config that sends SMS over SMPP to the test SMSC on loopback (retries after 1 s), plus
 * whatever a test adds.
 */
export function smppTestConfig(
  smsc: Pick<TestSmsc, 'port'>,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    SMS_MODE: 'smpp',
    SMPP_HOST: '127.0.0.1',
    SMPP_PORT: String(smsc.port),
    SMPP_SYSTEM_ID: TEST_SMPP.systemId,
    SMPP_PASSWORD: TEST_SMPP.password,
    SMPP_SOURCE_ADDR: '106900001234',
    NOTIFY_RETRY_DELAY_SECONDS: '1',
    ...extra,
  };
}
