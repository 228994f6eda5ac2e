/**
 * A Modbus TCP "device" that accepts connections and reads every request, and
 * answers only when told to: silent, it is the hung server slot or stale NAT entry
 * that keeps a connection open while nothing comes back. Answering, it replies to
 * read holding registers with zeros.
 */
import net from 'node:net';

export class SilentServer {
  /** Connections accepted so far, in order. */
  readonly connections: net.Socket[] = [];
  /** Requests received (whole MBAP frames), over every connection. */
  requests = 0;
  answering = false;
  private readonly connectionWaiters: { count: number; resolve: () => void }[] = [];

  private constructor(private readonly server: net.Server) {}

  static async listen(): Promise<SilentServer> {
    const server = net.createServer();
    const silent = new SilentServer(server);
    server.on('connection', (socket) => silent.accept(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return silent;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Resolves once `count` connections have been accepted. */
  connectionCount(count: number): Promise<void> {
    if (this.connections.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.connectionWaiters.push({ count, resolve }));
  }

  async close(): Promise<void> {
    for (const socket of this.connections) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private accept(socket: net.Socket): void {
    this.connections.push(socket);
    for (const waiter of [...this.connectionWaiters]) {
      if (this.connections.length >= waiter.count) {
        this.connectionWaiters.splice(this.connectionWaiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
    let pending = Buffer.alloc(0);
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 7 && pending.length >= 6 + pending.readUInt16BE(4)) {
        const frame = pending.subarray(0, 6 + pending.readUInt16BE(4));
        pending = pending.subarray(frame.length);
        this.requests++;
        if (this.answering) socket.write(zerosReply(frame));
      }
    });
  }
}

/** The reply to a read holding registers request: as many zero registers as asked for. */
function zerosReply(request: Buffer): Buffer {
  const quantity = request.readUInt16BE(10);
  const reply = Buffer.alloc(9 + 2 * quantity);
  request.copy(reply, 0, 0, 2);
  reply.writeUInt16BE(3 + 2 * quantity, 4);
  reply[6] = request[6];
  reply[7] = request[7];
  reply[8] = 2 * quantity;
  return reply;
}
