/**
 * An upstream whose every answer is unique to its request: holding register n read
 * with quantity q holds (n * 31 + q * 7) & 0xFFFF, so a reply delivered to the wrong
 * request shows at once. It can answer out of order (a random delay per request)
 * and records every request PDU it saw, so tests can check what reached it.
 *
 * It can also misbehave on purpose, as devices in the field do: answer under a
 * transaction id that is not the request's, leave one unit silent, or answer every
 * request with a fixed unit id.
 */
import net from 'node:net';
import { decodeMbapFrame, encodeMbapFrame } from '../../../gateway/protocol/mbap';
import { MbapReassembler } from '../../../gateway/protocol/mbapReassembler';

export function expectedRegister(address: number, quantity: number): number {
  return (address * 31 + quantity * 7) & 0xffff;
}

export function expectedReadReply(address: number, quantity: number): Buffer {
  const pdu = Buffer.alloc(2 + quantity * 2);
  pdu[0] = 3;
  pdu[1] = quantity * 2;
  for (let i = 0; i < quantity; i++) pdu.writeUInt16BE(expectedRegister(address + i, quantity), 2 + i * 2);
  return pdu;
}

export interface UniqueAnswerServer {
  port: number;
  /** Every request PDU received, in order, with its unit id. */
  received: { unitId: number; pdu: Buffer }[];
  /** Most requests outstanding at once on one connection (replies not yet sent). */
  maxOutstanding: number;
  /** Stop answering (requests are still recorded): for timeout tests. */
  silent: boolean;
  close(): Promise<void>;
}

export interface UniqueAnswerOptions {
  /** A random delay per request, up to this: replies come out of order. */
  maxDelayMs?: number;
  /** A chosen delay per request (instead of maxDelayMs), e.g. one slow unit. */
  delayFor?: (unitId: number, pdu: Buffer) => number;
  /** Answer every request with this unit id instead of the request's (a fussy gateway). */
  replyUnitId?: number;
  /** Requests answered under another transaction id (the request's + 1000): a device that gets ids wrong. */
  wrongTransactionId?: (unitId: number, pdu: Buffer) => boolean;
  /** Requests left unanswered (recorded all the same), e.g. a dead unit behind a gateway. */
  ignore?: (unitId: number, pdu: Buffer) => boolean;
  port?: number;
}

export async function startUniqueAnswerServer(options: UniqueAnswerOptions = {}): Promise<UniqueAnswerServer> {
  const sockets = new Set<net.Socket>();
  const state: UniqueAnswerServer = {
    port: 0,
    received: [],
    maxOutstanding: 0,
    silent: false,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const reassembler = new MbapReassembler();
    let outstanding = 0;
    socket.on('data', (chunk: Buffer) => {
      for (const adu of reassembler.push(chunk)) {
        const frame = decodeMbapFrame(adu);
        state.received.push({ unitId: frame.unitId, pdu: Buffer.from(frame.pdu) });
        if (state.silent || options.ignore?.(frame.unitId, frame.pdu)) continue;
        const reply = answer(frame.pdu);
        const transactionId = options.wrongTransactionId?.(frame.unitId, frame.pdu) ? (frame.transactionId + 1000) & 0xffff : frame.transactionId;
        const send = () => {
          outstanding--;
          if (!socket.destroyed) socket.write(encodeMbapFrame({ transactionId, unitId: options.replyUnitId ?? frame.unitId, pdu: reply }));
        };
        outstanding++;
        state.maxOutstanding = Math.max(state.maxOutstanding, outstanding);
        const delay = options.delayFor ? options.delayFor(frame.unitId, frame.pdu) : options.maxDelayMs ? Math.random() * options.maxDelayMs : 0;
        if (delay > 0) setTimeout(send, delay);
        else send();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  state.port = (server.address() as net.AddressInfo).port;
  return state;
}

/** A user-defined function (65) this server implements: it answers its data bytes reversed. */
export const USER_FUNCTION = 0x41;

function answer(pdu: Buffer): Buffer {
  if (pdu[0] === 3) return expectedReadReply(pdu.readUInt16BE(1), pdu.readUInt16BE(3));
  if (pdu[0] === 6) return Buffer.from(pdu);
  if (pdu[0] === USER_FUNCTION) return Buffer.concat([Buffer.of(USER_FUNCTION), Buffer.from(pdu.subarray(1)).reverse()]);
  // Diagnostics counters (sub-functions 10–18): the sub-function and a count made of it.
  if (pdu[0] === 8 && pdu.length === 5 && pdu[2] >= 10 && pdu[2] <= 18) return Buffer.of(8, 0, pdu[2], 0x0c, pdu[2]);
  // Anything else: illegal function, so exceptions can be seen passing through.
  return Buffer.of(pdu[0] | 0x80, 0x01);
}
