import assert from 'node:assert/strict';
import net from 'node:net';
import { channelCloseInWords, problemInBrief, socketErrorInWords } from '../../../extension/gateway/connectionWords';

describe('why a gateway channel failed, in the words its node shows', () => {
  it('says a refused connection means nothing listens there, from a real refused connect', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const error = await new Promise<Error>((resolve) => net.connect(port, '127.0.0.1').once('error', resolve));
    assert.equal(socketErrorInWords(error), 'connection refused: nothing listens at that port (the gateway is not running, or runs on another port)');
    assert.equal(socketErrorInWords(Object.assign(new Error('odd'), { code: 'EWHATEVER' })), 'odd');
  });

  it('names no bare WebSocket close code: 1006 is a connection that went without a word', () => {
    assert.equal(channelCloseInWords(1006, ''), 'the connection closed without a word (the gateway stopped, or the network went)');
    assert.equal(channelCloseInWords(1001, 'the gateway is stopping'), 'the gateway closed the connection: the gateway is stopping');
    assert.equal(channelCloseInWords(4000, 'odd'), 'the connection closed (WebSocket code 4000: odd)');
  });

  it('gives a side bar the first clause of a long problem: what happened, not the fingerprints', () => {
    assert.equal(
      problemInBrief('its certificate changed (SHA-256 73:A3; trusted was 46:B3), so it was refused. If the gateway got a new certificate, Attach Gateway… again'),
      'its certificate changed',
    );
    assert.equal(problemInBrief('it refused the token (changed on the gateway?); Attach Gateway… again with the new one'), 'it refused the token');
    assert.equal(
      problemInBrief('unreachable: cannot connect to the gateway on wss://10.0.4.20:7443/: connection refused: nothing listens at that port (the gateway is not running)'),
      'unreachable: cannot connect to the gateway on wss://10.0.4.20:7443/: connection refused: nothing listens at that port',
    );
    assert.equal(problemInBrief('unreachable: no such host name'), 'unreachable: no such host name');
  });
});
