import smpp, { type PDU, type Session } from 'smpp';
import type { Logger } from 'pino';
import type { SmsPart } from './sms-parts.ts';

/** Where and as whom we bind to the SMSC (config SMPP_*). */
export interface SmppSettings {
  host: string;
  port: number;
  systemId: string;
  password: string;
  /** our sender number or name (source_addr) */
  sourceAddr: string;
}

/** A delivery receipt (SMPP 3.4 Appendix B), matched to a part by the SMSC message id. */
export interface DeliveryReceipt {
  messageId: string;
  /** DELIVRD, EXPIRED, DELETED, UNDELIV, ACCEPTD, UNKNOWN, REJECTD, ENROUTE */
  state: string;
  error: string | null;
}

/** A failed SMPP operation. `permanent`: sending the same PDU again cannot succeed (bad number). */
export class SmppError extends Error {
  constructor(
    message: string,
    readonly commandStatus: number | null,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'SmppError';
  }
}

// command_status values that say "this message will never be accepted" (SMPP 3.4 §5.1.3).
const PERMANENT_STATUSES = new Set([
  0x01, // ESME_RINVMSGLEN
  0x0b, // ESME_RINVDSTADR
  0x43, // ESME_RINVESMCLASS
  0x50, // ESME_RINVDSTTON
  0x51, // ESME_RINVDSTNPI
  0x104, // ESME_RINVDCS
]);

const ESM_CLASS_RECEIPT = 0x04; // deliver_sm esm_class bits 2-5 = 0001: SMSC delivery receipt
const ESME_RX_T_APPN = 0x64; // "temporary application error": the SMSC delivers the receipt again

export interface SmppClientOptions {
  settings: SmppSettings;
  logger: Logger;
  /** records a receipt; the deliver_sm is acknowledged only after it resolves (i.e. committed) */
  onReceipt(receipt: DeliveryReceipt): Promise<void>;
  /** ms; connect + bind (default 5 000) */
  bindTimeoutMs?: number;
  /** ms; submit_sm → submit_sm_resp (default 10 000) */
  responseTimeoutMs?: number;
  /** ms between our enquire_link while bound (default 30 000) */
  enquireLinkMs?: number;
}

/**
 * One transceiver session to the SMSC, bound on first use and kept bound (with enquire_link and
 * reconnects with backoff) so delivery receipts keep arriving. Not shared between processes:
 * each worker process binds its own session, as SMSCs allow.
 */
export class SmppClient {
  readonly #o: Required<SmppClientOptions>;
  #bound: Promise<Session> | null = null;
  #session: Session | null = null;
  #closing = false;
  #reconnectTimer: NodeJS.Timeout | null = null;
  #reconnectDelayMs = 1_000;
  #pending = new Set<(error: Error) => void>();
  #abortBind: ((error: SmppError) => void) | null = null;

  constructor(options: SmppClientOptions) {
    this.#o = { bindTimeoutMs: 5_000, responseTimeoutMs: 10_000, enquireLinkMs: 30_000, ...options };
  }

  /** Submits one part; resolves with the SMSC message id. Throws SmppError. */
  async submit(destination: string, part: SmsPart): Promise<string> {
    const session = await this.#ensureBound();
    const dest = addressOf(destination);
    const source = addressOf(this.#o.settings.sourceAddr);
    const response = await this.#request(session, 'submit_sm', {
      source_addr_ton: source.ton,
      source_addr_npi: source.npi,
      source_addr: source.addr,
      dest_addr_ton: dest.ton,
      dest_addr_npi: dest.npi,
      destination_addr: dest.addr,
      esm_class: part.esmClass,
      data_coding: part.dataCoding,
      registered_delivery: 1, // a receipt for final success or failure
      short_message: part.payload,
    });
    if (response.command_status !== 0) {
      const status = response.command_status;
      throw new SmppError(`SMSC refused submit_sm: ${statusName(status)}`, status, PERMANENT_STATUSES.has(status));
    }
    const id = response.message_id;
    if (typeof id !== 'string' || id === '')
      throw new SmppError('SMSC answered submit_sm without a message id', 0, false);
    return id;
  }

  /** Binds in the background (failures are logged and retried with backoff). */
  connect(): void {
    this.#ensureBound().catch((error: unknown) => this.#o.logger.warn({ err: error }, 'SMPP bind failed; will retry'));
  }

  /** Unbinds and closes; no reconnects after this. */
  async close(): Promise<void> {
    this.#closing = true;
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
    this.#abortBind?.(new SmppError('SMPP client is closing', null, false));
    const session = this.#session;
    if (!session) return;
    await new Promise<void>((resolve) => {
      const done = setTimeout(() => session.destroy(), 1_000);
      done.unref();
      session.socket.once('close', () => {
        clearTimeout(done);
        resolve();
      });
      if (!session.unbind({}, () => session.close())) session.destroy();
    });
  }

  #ensureBound(): Promise<Session> {
    if (this.#closing) return Promise.reject(new SmppError('SMPP client is closed', null, false));
    this.#bound ??= this.#bind().catch((error: unknown) => {
      this.#bound = null;
      throw error;
    });
    return this.#bound;
  }

  #bind(): Promise<Session> {
    const { host, port, systemId, password } = this.#o.settings;
    return new Promise<Session>((resolve, reject) => {
      let settled = false;
      const session = smpp.connect({ host, port });
      this.#session = session;
      const fail = (error: SmppError) => {
        if (settled) return;
        settled = true;
        this.#abortBind = null;
        clearTimeout(timer);
        session.destroy();
        reject(error);
      };
      this.#abortBind = fail;
      const timer = setTimeout(
        () => fail(new SmppError(`SMSC ${host}:${port} did not bind within ${this.#o.bindTimeoutMs} ms`, null, false)),
        this.#o.bindTimeoutMs,
      );
      timer.unref();
      session.on('error', (error: Error) => {
        fail(new SmppError(`SMSC ${host}:${port} unreachable: ${error.message}`, null, false));
        this.#o.logger.warn({ err: error }, 'SMPP connection error');
      });
      session.on('close', () => this.#onClose(session));
      session.on('connect', () => {
        session.bind_transceiver({ system_id: systemId, password, interface_version: 0x34 }, (response) => {
          if (response.command_status !== 0) {
            fail(
              new SmppError(
                `SMSC refused bind_transceiver as ${systemId}: ${statusName(response.command_status)}`,
                response.command_status,
                false,
              ),
            );
            return;
          }
          settled = true;
          this.#abortBind = null;
          clearTimeout(timer);
          this.#reconnectDelayMs = 1_000;
          this.#listen(session);
          resolve(session);
        });
      });
    });
  }

  #listen(session: Session): void {
    session.on('deliver_sm', (pdu: PDU) => void this.#onDeliver(session, pdu));
    session.on('enquire_link', (pdu: PDU) => session.send(pdu.response()));
    session.on('unbind', (pdu: PDU) => {
      session.send(pdu.response());
      session.close();
    });
    const keepAlive = setInterval(() => {
      this.#request(session, 'enquire_link', {}).catch(() => session.destroy());
    }, this.#o.enquireLinkMs);
    keepAlive.unref();
    session.socket.once('close', () => clearInterval(keepAlive));
  }

  async #onDeliver(session: Session, pdu: PDU): Promise<void> {
    const esmClass = typeof pdu.esm_class === 'number' ? pdu.esm_class : 0;
    if ((esmClass & 0x3c) !== ESM_CLASS_RECEIPT) {
      // A mobile-originated message: we do not take replies by SMS; acknowledge and log.
      this.#o.logger.info({ source: pdu.source_addr }, 'SMPP: ignoring a mobile-originated message');
      session.send(pdu.response());
      return;
    }
    const receipt = parseReceipt({
      short_message: pdu.short_message,
      receipted_message_id: pdu.receipted_message_id,
      message_state: pdu.message_state,
    });
    if (!receipt) {
      this.#o.logger.warn({ pdu: pdu.short_message }, 'SMPP: unreadable delivery receipt acknowledged and dropped');
      session.send(pdu.response());
      return;
    }
    try {
      await this.#o.onReceipt(receipt);
      session.send(pdu.response());
    } catch (error) {
      this.#o.logger.error(
        { err: error, receipt },
        'SMPP: could not record a delivery receipt; the SMSC will resend it',
      );
      session.send(pdu.response({ command_status: ESME_RX_T_APPN }));
    }
  }

  #request(session: Session, command: 'submit_sm' | 'enquire_link', options: Record<string, unknown>): Promise<PDU> {
    return new Promise<PDU>((resolve, reject) => {
      const abort = (error: Error) => {
        clearTimeout(timer);
        this.#pending.delete(abort);
        reject(error);
      };
      const timer = setTimeout(
        () =>
          abort(new SmppError(`SMSC did not answer ${command} within ${this.#o.responseTimeoutMs} ms`, null, false)),
        this.#o.responseTimeoutMs,
      );
      this.#pending.add(abort);
      const sent = session.send(new smpp.PDU(command, options), (response) => {
        clearTimeout(timer);
        this.#pending.delete(abort);
        resolve(response);
      });
      if (!sent) abort(new SmppError('SMPP connection is not writable', null, false));
    });
  }

  #onClose(session: Session): void {
    if (this.#session !== session) return;
    this.#session = null;
    this.#bound = null;
    for (const abort of [...this.#pending])
      abort(new SmppError('SMPP connection closed before the SMSC answered', null, false));
    if (this.#closing) return;
    // Stay bound so receipts for messages already sent keep arriving.
    const delay = this.#reconnectDelayMs;
    this.#reconnectDelayMs = Math.min(delay * 2, 60_000);
    this.#reconnectTimer = setTimeout(() => this.connect(), delay);
    this.#reconnectTimer.unref();
  }
}

/** ton/npi for an address: international (+86…), national digits, or an alphanumeric sender. */
function addressOf(raw: string): { ton: number; npi: number; addr: string } {
  if (/^\+\d+$/.test(raw)) return { ton: 1, npi: 1, addr: raw.slice(1) };
  if (/^\d+$/.test(raw)) return { ton: 0, npi: 1, addr: raw };
  return { ton: 5, npi: 0, addr: raw };
}

function statusName(status: number): string {
  const name = Object.entries(smpp.errors).find(([, value]) => value === status)?.[0];
  return `${name ?? 'status'} (0x${status.toString(16).padStart(4, '0')})`;
}

/** Reads the receipt from its TLVs (SMPP 3.4 §5.3.2.12/.35) or, failing that, its text. */
export function parseReceipt(pdu: {
  short_message?: unknown;
  receipted_message_id?: unknown;
  message_state?: unknown;
}): DeliveryReceipt | null {
  const text = receiptText(pdu.short_message);
  const field = (name: string) => new RegExp(`(?:^|\\s)${name}:(\\S+)`, 'i').exec(text)?.[1] ?? null;
  const messageId =
    typeof pdu.receipted_message_id === 'string' && pdu.receipted_message_id !== ''
      ? pdu.receipted_message_id
      : field('id');
  const state = field('stat') ?? messageStateName(pdu.message_state);
  if (!messageId || !state) return null;
  const error = field('err');
  return { messageId, state: state.toUpperCase(), error: error && error !== '000' ? error : null };
}

function receiptText(message: unknown): string {
  if (typeof message === 'string') return message;
  if (Buffer.isBuffer(message)) return message.toString('latin1');
  if (message && typeof message === 'object' && 'message' in message) return receiptText(message.message);
  return '';
}

// message_state TLV values (SMPP 3.4 §5.2.28)
const messageStates = ['', 'ENROUTE', 'DELIVRD', 'EXPIRED', 'DELETED', 'UNDELIV', 'ACCEPTD', 'UNKNOWN', 'REJECTD'];
function messageStateName(value: unknown): string | null {
  return typeof value === 'number' ? messageStates[value] || null : null;
}
