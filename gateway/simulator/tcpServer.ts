/**
 * A Modbus TCP server: many clients, pipelined and split requests, every reply
 * written as soon as its request is complete. No timer sits on the reply path
 * (modbus-serial's ServerTCP defers each reply with setTimeout(0), about 1 ms each).
 */
import net from 'node:net';
import { decodeMbapFrame, encodeMbapFrame } from '../protocol/mbap';
import { MbapReassembler } from '../protocol/mbapReassembler';

/** Answer one request PDU with a response PDU, or undefined to send nothing. */
export type PduHandler = (pdu: Buffer, unitId: number) => Buffer | undefined;

export interface ModbusTcpServerOptions {
  handler: PduHandler;
  onLog?: (message: string) => void;
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
        const pdu = this.options.handler(frame.pdu, frame.unitId);
        if (pdu) replies.push(encodeMbapFrame({ transactionId: frame.transactionId, unitId: frame.unitId, pdu }));
      }
      // Pipelined requests that arrived together leave in one write.
      if (replies.length > 0) socket.write(replies.length === 1 ? replies[0] : Buffer.concat(replies));
    });
    socket.on('error', (error) => this.log(`client ${peer}: ${error.message}`));
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.log(`client ${peer} disconnected`);
    });
  }

  private log(message: string): void {
    this.options.onLog?.(message);
  }
}
