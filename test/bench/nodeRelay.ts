/**
 * The Node floor for any proxy: a relay that parses nothing. Each client gets its
 * own upstream connection and bytes are copied both ways as they come (the same
 * work as native/bareRelay.c, in Node). Bifrost's proxy does this and more (MBAP
 * parsing, transaction ids, one shared upstream, fair queuing, capture).
 *
 * Run as a child (bundled by run.ts): `nodeRelay.js UPSTREAM_PORT` prints
 * "listening PORT" on stdout and exits when stdin closes (its parent went away).
 */
import net from 'node:net';

const upstreamPort = Number(process.argv[2]);

const server = net.createServer({ noDelay: true }, (client) => {
  const device = net.connect({ host: '127.0.0.1', port: upstreamPort, noDelay: true });
  client.on('data', (chunk: Buffer) => device.write(chunk));
  device.on('data', (chunk: Buffer) => client.write(chunk));
  client.on('close', () => device.destroy());
  device.on('close', () => client.destroy());
  client.on('error', () => client.destroy());
  device.on('error', () => device.destroy());
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as net.AddressInfo).port}\n`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.on('data', () => {});
process.stdin.resume();
