/** What the extension-host suites share: the extension's id, polling, probes of TCP ports and a raw Modbus TCP client. */
import * as assert from 'node:assert';
import * as net from 'node:net';
import type * as vscode from 'vscode';

export const EXTENSION_ID = 'bifrost-tools.bifrost';

/**
 * Polls `probe` every 100 ms until it returns something other than undefined or
 * false, or fails with `what` (and the probe's last error, if it threw).
 */
export async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A port free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** 'connected', or the error code of a connection to `port` on 127.0.0.1 ('ECONNREFUSED'). */
export function connectOutcome(port: number): Promise<'connected' | string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** A tree item's label as text. */
export function label(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

/** One connection; each request waits for its answer (MBAP, unit 1). */
export class RawModbusClient {
  private buffer = Buffer.alloc(0);
  private waiting: ((frame: Buffer) => void) | undefined;
  private tid = 0;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      if (this.buffer.length >= 6 && this.buffer.length >= 6 + this.buffer.readUInt16BE(4)) {
        const frame = this.buffer.subarray(0, 6 + this.buffer.readUInt16BE(4));
        this.buffer = this.buffer.subarray(frame.length);
        this.waiting?.(frame);
      }
    });
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawModbusClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, host, () => resolve(new RawModbusClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Sends one PDU, answers the reply's PDU (after checking the MBAP header came back as sent). */
  async request(pdu: number[]): Promise<Buffer> {
    const tid = ++this.tid;
    const frame = Buffer.alloc(7 + pdu.length);
    frame.writeUInt16BE(tid, 0);
    frame.writeUInt16BE(0, 2);
    frame.writeUInt16BE(1 + pdu.length, 4);
    frame.writeUInt8(1, 6);
    Buffer.from(pdu).copy(frame, 7);
    const reply = await new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer through the proxy within 5 s')), 5000);
      this.waiting = (answer) => {
        clearTimeout(timer);
        resolve(answer);
      };
      this.socket.write(frame);
    });
    assert.strictEqual(reply.readUInt16BE(0), tid, 'the transaction id comes back as sent');
    assert.strictEqual(reply.readUInt16BE(2), 0, 'protocol id 0');
    assert.strictEqual(reply.readUInt8(6), 1, 'the unit id comes back as sent');
    return reply.subarray(7);
  }

  /** FC 3. */
  async readHolding(address: number, count: number): Promise<number[]> {
    const pdu = await this.request([3, address >> 8, address & 0xff, count >> 8, count & 0xff]);
    assert.strictEqual(pdu[0], 3, `function code 3 answered (got 0x${pdu[0].toString(16)}, an exception?)`);
    assert.strictEqual(pdu[1], count * 2);
    return Array.from({ length: count }, (_, i) => pdu.readUInt16BE(2 + i * 2));
  }

  close(): void {
    this.socket.destroy();
  }
}
