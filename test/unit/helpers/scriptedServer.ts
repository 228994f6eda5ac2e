/**
 * A loopback TCP server whose replies each test scripts: answer late, answer twice,
 * answer from another unit, or hang up. For session tests that a correct simulator
 * cannot provoke.
 */
import net from 'node:net';
import { decodeMbapFrame, encodeMbapFrame, type MbapFrame } from '../../../gateway/protocol/mbap';
import { MbapReassembler } from '../../../gateway/protocol/mbapReassembler';

export interface ScriptedConnection {
  frame: MbapFrame;
  reply(pdu: Buffer, overrides?: Partial<Omit<MbapFrame, 'pdu'>>): void;
  /** Bytes as they are, framed or not. */
  writeRaw(bytes: Buffer): void;
  hangUp(): void;
}

export class ScriptedServer {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  onRequest: (request: ScriptedConnection) => void = () => {};
  port = 0;

  constructor() {
    this.server = net.createServer((socket) => {
      this.sockets.add(socket);
      socket.setNoDelay(true);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => {});
      const reassembler = new MbapReassembler();
      socket.on('data', (chunk: Buffer) => {
        for (const adu of reassembler.push(chunk)) {
          const frame = decodeMbapFrame(adu);
          this.onRequest({
            frame,
            reply: (pdu, overrides = {}) => {
              socket.write(encodeMbapFrame({ transactionId: frame.transactionId, unitId: frame.unitId, pdu, ...overrides }));
            },
            writeRaw: (bytes) => socket.write(bytes),
            hangUp: () => socket.destroy(),
          });
        }
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('no address');
    this.port = address.port;
    return this;
  }

  get connections(): number {
    return this.sockets.size;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Resolve when `predicate` holds, checking every few ms; fail after `timeoutMs`. */
export async function until(predicate: () => boolean, timeoutMs = 2000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Mocha hooks for session tests: a fresh scripted server before each test; after
 * it, every session the test `track`ed is stopped and the server closed.
 */
export function scriptedServerPerTest(): { server(): ScriptedServer; track<T extends { stop(): void }>(session: T): T } {
  let current: ScriptedServer | undefined;
  const sessions: { stop(): void }[] = [];
  beforeEach(async () => {
    current = await new ScriptedServer().start();
  });
  afterEach(async () => {
    for (const session of sessions.splice(0)) session.stop();
    await current?.stop();
    current = undefined;
  });
  return {
    server: () => current!,
    track: (session) => {
      sessions.push(session);
      return session;
    },
  };
}
