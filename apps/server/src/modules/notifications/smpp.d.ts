// Minimal types for the `smpp` package 0.5.1 (it ships none): only what this module and its
// test SMSC use. Field names follow the SMPP specification.
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type { Server as NetServer, Socket } from 'node:net';

  export interface PDU {
    command: string;
    command_id: number;
    command_status: number;
    sequence_number: number;
    [field: string]: unknown;
    isResponse(): boolean;
    response(options?: Record<string, unknown>): PDU;
  }

  export interface Session extends EventEmitter {
    socket: Socket;
    send(pdu: PDU, responseCallback?: (response: PDU) => void, sendCallback?: (pdu: PDU) => void): boolean;
    close(callback?: () => void): void;
    destroy(callback?: () => void): void;
    pause(): void;
    resume(): void;
    bind_transceiver(options: Record<string, unknown>, callback?: (response: PDU) => void): boolean;
    bind_transmitter(options: Record<string, unknown>, callback?: (response: PDU) => void): boolean;
    submit_sm(options: Record<string, unknown>, callback?: (response: PDU) => void): boolean;
    deliver_sm(options: Record<string, unknown>, callback?: (response: PDU) => void): boolean;
    enquire_link(options?: Record<string, unknown>, callback?: (response: PDU) => void): boolean;
    unbind(options?: Record<string, unknown>, callback?: (response: PDU) => void): boolean;
  }

  export interface Server extends NetServer {
    sessions: Session[];
  }

  interface SmppModule {
    PDU: new (command: string, options?: Record<string, unknown>) => PDU;
    connect(options: { host: string; port: number; [key: string]: unknown }, listener?: () => void): Session;
    createServer(listener: (session: Session) => void): Server;
    errors: Record<string, number>;
  }
  const smpp: SmppModule;
  export default smpp;
}
