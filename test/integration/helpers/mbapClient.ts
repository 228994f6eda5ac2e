/**
 * A minimal Modbus TCP client for the proxy tests: raw PDUs in, raw reply PDUs out,
 * matched by transaction id, several outstanding at once. Raw, so a test sees exactly
 * the bytes the proxy sends back (unit id and transaction id included).
 */
import net from 'node:net';
import { decodeMbapFrame, encodeMbapFrame } from '../../../gateway/protocol/mbap';
import { MbapReassembler } from '../../../gateway/protocol/mbapReassembler';

export interface Reply {
  unitId: number;
  pdu: Buffer;
}

export class MbapClient {
  private readonly waiting = new Map<number, (reply: Reply) => void>();
  private readonly reassembler = new MbapReassembler();
  private nextId = 1;
  readonly closed: Promise<void>;

  private constructor(readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      for (const adu of this.reassembler.push(chunk)) {
        const frame = decodeMbapFrame(adu);
        const resolve = this.waiting.get(frame.transactionId);
        this.waiting.delete(frame.transactionId);
        resolve?.({ unitId: frame.unitId, pdu: Buffer.from(frame.pdu) });
      }
    });
    socket.on('error', () => {});
    this.closed = new Promise((resolve) => socket.on('close', () => resolve()));
  }

  static connect(port: number, host = '127.0.0.1'): Promise<MbapClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port }, () => {
        socket.off('error', reject);
        resolve(new MbapClient(socket));
      });
      socket.once('error', reject);
    });
  }

  /** Send `pdu` to `unitId`; resolves with the reply. The transaction id is ours (or `transactionId`). */
  request(unitId: number, pdu: Buffer, transactionId = this.nextId++ & 0xffff): Promise<Reply> {
    return new Promise((resolve, reject) => {
      this.waiting.set(transactionId, resolve);
      // `closed` only resolves; a reply that came first makes this reject a no-op.
      void this.closed.then(() => reject(new Error(`connection closed before the reply to transaction ${transactionId}`)));
      this.socket.write(encodeMbapFrame({ transactionId, unitId, pdu }));
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

export function readHolding(address: number, quantity: number): Buffer {
  const pdu = Buffer.alloc(5);
  pdu[0] = 3;
  pdu.writeUInt16BE(address, 1);
  pdu.writeUInt16BE(quantity, 3);
  return pdu;
}

export function writeSingle(address: number, value: number): Buffer {
  const pdu = Buffer.alloc(5);
  pdu[0] = 6;
  pdu.writeUInt16BE(address, 1);
  pdu.writeUInt16BE(value, 3);
  return pdu;
}
