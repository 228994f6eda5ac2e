/**
 * Bare Modbus TCP sockets for the proxy section: prebuilt FC 3 frames, replies
 * matched by transaction id, so several can be in flight on one connection and the
 * client costs as little as possible on either side of the comparison.
 */
import net from 'node:net';
import { MbapReassembler } from '../../gateway/protocol/mbapReassembler';

export interface PipeliningSocket {
  /** Read 10 holding registers; resolves with the round trip in ms. */
  read(): Promise<number>;
  close(): void;
}

export async function connectPipelining(port: number): Promise<PipeliningSocket> {
  const socket = net.connect({ host: '127.0.0.1', port });
  socket.setNoDelay(true);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const reassembler = new MbapReassembler();
  const waiting = new Map<number, { sentAt: number; resolve: (ms: number) => void }>();
  let nextId = 0;
  socket.on('data', (chunk: Buffer) => {
    for (const adu of reassembler.push(chunk)) {
      const id = adu.readUInt16BE(0);
      const entry = waiting.get(id);
      if (!entry) continue;
      waiting.delete(id);
      entry.resolve(performance.now() - entry.sentAt);
    }
  });
  return {
    read() {
      nextId = (nextId + 1) & 0xffff;
      const id = nextId;
      const frame = Buffer.from([id >> 8, id & 0xff, 0, 0, 0, 6, 1, 3, 0, 0, 0, 10]);
      return new Promise((resolve) => {
        waiting.set(id, { sentAt: performance.now(), resolve });
        socket.write(frame);
      });
    },
    close: () => socket.destroy(),
  };
}

export interface RunResult {
  rate: number;
  latenciesMs: number[];
}

/** `lanes` loops each keeping one request outstanding on its socket, `perLane` requests each. */
export async function runLanes(sockets: readonly PipeliningSocket[], lanesPerSocket: number, perLane: number): Promise<RunResult> {
  const latenciesMs: number[] = [];
  const startedAt = performance.now();
  await Promise.all(
    sockets.flatMap((socket) =>
      Array.from({ length: lanesPerSocket }, async () => {
        for (let i = 0; i < perLane; i++) latenciesMs.push(await socket.read());
      }),
    ),
  );
  return { rate: latenciesMs.length / ((performance.now() - startedAt) / 1000), latenciesMs };
}
