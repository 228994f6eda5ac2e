/**
 * A Modbus TCP server: many clients, pipelined and split requests, every reply
 * written as soon as its request is complete. No timer sits on the reply path
 * (modbus-serial's ServerTCP defers each reply with setTimeout(0), about 1 ms each).
 */
import type { Logger } from '../engine/logger';
import net from 'node:net';
import type { SimulatorFault } from '../api/simulator';
import { decodeMbapFrame, encodeMbapFrame, type MbapFrame } from '../protocol/mbap';
import { MbapReassembler } from '../protocol/mbapReassembler';
import type { FaultPlan, InjectionHook } from './faultPlan';
import { planDelivery } from './faultyReply';
import { ReplyOutbox } from './replyOutbox';

/** Answer one request PDU with a response PDU, or undefined to send nothing. */
export type PduHandler = (pdu: Buffer, unitId: number) => Buffer | undefined;

export interface ModbusTcpServerOptions {
  handler: PduHandler;
  /** What the simulator does, at debug level: clients coming and going, frames it drops. */
  logger?: Logger;
  /** Faults to inject on purpose (faultPlan.ts); none when absent. */
  faults?: FaultPlan;
  onInjected?: InjectionHook;
}

export interface ListenAddress {
  host: string;
  port: number;
}

/** Dead clients (a cable pulled) are noticed after about this long. */
const CLIENT_KEEPALIVE_MS = 30_000;

export class ModbusTcpServer {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  /** Faulted replies waiting to leave (delayed, or split byte by byte). */
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: ModbusTcpServerOptions) {
    this.server = net.createServer((socket) => this.accept(socket));
  }

  /** Listen; rejects with the socket error (EADDRINUSE, EACCES…) so the caller can word it. */
  listen(host: string, port: number): Promise<ListenAddress> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.server.once('error', onError);
      this.server.listen({ host, port }, () => {
        this.server.off('error', onError);
        this.server.on('error', (error) => this.log(`server error: ${error.message}`));
        resolve(this.address());
      });
    });
  }

  address(): ListenAddress {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('the server is not listening');
    return { host: address.address, port: address.port };
  }

  get connectionCount(): number {
    return this.sockets.size;
  }

  /** Stop listening and drop every client. */
  close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => {
      if (!this.server.listening) return resolve();
      this.server.close(() => resolve());
    });
  }

  private accept(socket: net.Socket): void {
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    this.sockets.add(socket);
    socket.setNoDelay(true);
    socket.setKeepAlive(true, CLIENT_KEEPALIVE_MS);
    const reassembler = new MbapReassembler();
    const outbox = new ReplyOutbox(socket, (ms) => new Promise((resolve) => this.after(ms, resolve)));
    this.log(`client ${peer} connected`);

    socket.on('data', (chunk: Buffer) => {
      let adus: Buffer[];
      try {
        adus = reassembler.push(chunk);
      } catch (error) {
        // A broken header leaves no way to find the next frame: drop the client.
        this.log(`client ${peer} sent a bad frame, closing: ${(error as Error).message}`);
        socket.destroy();
        return;
      }
      const replies: Buffer[] = [];
      for (const adu of adus) {
        const frame = decodeMbapFrame(adu);
        const faults = this.options.faults;
        const chosen = faults && !faults.empty ? faults.choose(frame.unitId) : undefined;
        if (chosen) {
          if (!this.deliverFaulted(socket, frame, chosen.fault, chosen.label, replies, outbox)) return;
          continue;
        }
        const pdu = this.options.handler(frame.pdu, frame.unitId);
        if (pdu) replies.push(encodeMbapFrame({ transactionId: frame.transactionId, unitId: frame.unitId, pdu }));
      }
      // Pipelined requests that arrived together leave in one write.
      if (replies.length > 0) outbox.write(replies.length === 1 ? replies[0] : Buffer.concat(replies));
    });
    socket.on('error', (error) => this.log(`client ${peer}: ${error.message}`));
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.log(`client ${peer} disconnected`);
    });
  }

  /**
   * Answer one request the way its fault says; plain-timed bytes join `replies`, the
   * rest leave on timers. False when the connection was reset.
   */
  private deliverFaulted(
    socket: net.Socket,
    frame: MbapFrame,
    fault: SimulatorFault,
    label: string,
    replies: Buffer[],
    outbox: ReplyOutbox,
  ): boolean {
    // A silent device does not act on what it hears; any other still does the work.
    const pdu = fault.kind === 'silence' ? undefined : this.options.handler(frame.pdu, frame.unitId);
    const header = { unitId: frame.unitId, transactionId: frame.transactionId, functionCode: frame.pdu[0] ?? 0 };
    const delivery = planDelivery('mbap', header, pdu, fault);
    const report = (bytes?: Buffer) => this.options.onInjected?.({ label, unitId: frame.unitId, ...(bytes ? { bytes } : {}) });
    switch (delivery.kind) {
      case 'nothing':
        report();
        return true;
      case 'reset':
        report();
        this.log(`${label}: resetting the connection`);
        socket.resetAndDestroy();
        return false;
      case 'hold':
        report(delivery.bytes);
        outbox.held.push(delivery.bytes);
        return true;
      case 'send':
        report(delivery.bytes);
        if (delivery.gapMs !== undefined) outbox.dribble(delivery.bytes, delivery.gapMs);
        else if (delivery.delayMs > 0) this.after(delivery.delayMs, () => outbox.write(delivery.bytes));
        else replies.push(delivery.bytes);
        return true;
    }
  }

  private after(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }

  private log(message: string): void {
    this.options.logger?.log('debug', message);
  }
}
