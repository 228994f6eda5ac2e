// The New proxy… flow's port checks: range, a proxy already defined there (wildcard
// hosts collide with every host), and a real bind probe against a port someone holds.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { firstListenablePort, listenProblem, newProxyPortProblem } from '../../../extension/proxies/portProbe';
import type { ProxyInfo } from '../../../gateway/api';
import { proxyInfo } from '../helpers/proxyInfo';

function defined(name: string, host: string, port: number): ProxyInfo {
  return proxyInfo(name, { listen: { host, port } });
}

function listen(host = '127.0.0.1'): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => resolve(server));
  });
}

const portOf = (server: net.Server): number => (server.address() as net.AddressInfo).port;
const close = (server: net.Server): Promise<void> => new Promise((resolve) => server.close(() => resolve()));

describe('new proxy port checks', () => {
  let busy: net.Server;
  let busyPort: number;

  before(async () => {
    busy = await listen();
    busyPort = portOf(busy);
  });
  after(() => close(busy));

  it('answers nothing for a port that binds, and leaves it free', async () => {
    const probe = await listen();
    const port = portOf(probe);
    await close(probe);
    assert.equal(await listenProblem('127.0.0.1', port), undefined);
    // The probe closed its server: the port binds again.
    const again = await listen();
    await close(again);
  });

  it('names host and port of a busy port, in the gateway\'s words', async () => {
    assert.equal(await listenProblem('127.0.0.1', busyPort), `port ${busyPort} on 127.0.0.1 is already in use`);
  });

  it('rejects what is not a whole number, and ports outside 1–65535, naming them', async () => {
    assert.equal(await newProxyPortProblem('', '127.0.0.1', []), 'enter a whole number from 1 to 65535');
    assert.equal(await newProxyPortProblem('50x', '127.0.0.1', []), 'enter a whole number from 1 to 65535');
    assert.equal(await newProxyPortProblem('-1', '127.0.0.1', []), 'enter a whole number from 1 to 65535');
    assert.equal(await newProxyPortProblem('0', '127.0.0.1', []), 'port 0 is outside 1–65535');
    assert.equal(await newProxyPortProblem('65536', '127.0.0.1', []), 'port 65536 is outside 1–65535');
  });

  it('rejects the port of a defined proxy on the same host or on a wildcard, naming the proxy', async () => {
    const known = [defined('A', '127.0.0.1', 15020), defined('B', '0.0.0.0', 15021)];
    assert.equal(await newProxyPortProblem('15020', '127.0.0.1', known), 'proxy "A" is already defined on 127.0.0.1:15020');
    assert.equal(await newProxyPortProblem('15020', '0.0.0.0', known), 'proxy "A" is already defined on 127.0.0.1:15020');
    assert.equal(await newProxyPortProblem('15021', '127.0.0.1', known), 'proxy "B" is already defined on 0.0.0.0:15021');
  });

  it('rejects a port someone else holds, naming the port', async () => {
    assert.equal(await newProxyPortProblem(String(busyPort), '127.0.0.1', []), `port ${busyPort} on 127.0.0.1 is already in use`);
  });

  it('suggests the first port from the base that binds and no proxy uses', async () => {
    // busyPort is held; the next one up is normally free (else the probe moves on).
    const suggested = await firstListenablePort('127.0.0.1', busyPort, new Set());
    assert.ok(suggested > busyPort, `${suggested} > ${busyPort}`);
    assert.equal(await listenProblem('127.0.0.1', suggested), undefined);
    const skipping = await firstListenablePort('127.0.0.1', suggested, new Set([suggested]));
    assert.ok(skipping > suggested);
  });
});
