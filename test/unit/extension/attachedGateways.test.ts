import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { AttachedGatewayStore } from '../../../extension/gateway/attachedGateways';
import { parseGatewayUrl } from '../../../extension/gateway/gatewayUrl';

/** VS Code's globalState and SecretStorage, in memory: what a reload reads back. */
function fakeStorage(): { state: vscode.Memento; secrets: vscode.SecretStorage; secretValues: Map<string, string>; stateValues: Map<string, unknown> } {
  const stateValues = new Map<string, unknown>();
  const secretValues = new Map<string, string>();
  const state = {
    keys: () => [...stateValues.keys()],
    get: (key: string) => stateValues.get(key),
    update: (key: string, value: unknown) => {
      stateValues.set(key, JSON.parse(JSON.stringify(value)));
      return Promise.resolve();
    },
  } as unknown as vscode.Memento;
  const secrets = {
    get: (key: string) => Promise.resolve(secretValues.get(key)),
    store: (key: string, value: string) => {
      secretValues.set(key, value);
      return Promise.resolve();
    },
    delete: (key: string) => {
      secretValues.delete(key);
      return Promise.resolve();
    },
  } as unknown as vscode.SecretStorage;
  return { state, secrets, secretValues, stateValues };
}

describe('attached gateways: what a reload finds again', () => {
  const pin = { fingerprint256: 'AB:CD', pem: '-----BEGIN CERTIFICATE-----\n…' };

  it('keeps URLs and pins in globalState and tokens only in SecretStorage, and a new store (a reload) reads them back', async () => {
    const storage = fakeStorage();
    await new AttachedGatewayStore(storage.state, storage.secrets).save({ url: 'wss://gw-a:7443/', pin }, 'a'.repeat(48));
    await new AttachedGatewayStore(storage.state, storage.secrets).save({ url: 'wss://gw-b:7443/' }, 'b'.repeat(48));
    assert.ok(!JSON.stringify([...storage.stateValues.values()]).includes('aaaa'), 'no token in globalState');

    const reloaded = new AttachedGatewayStore(storage.state, storage.secrets);
    assert.deepEqual(reloaded.list(), [{ url: 'wss://gw-a:7443/', pin }, { url: 'wss://gw-b:7443/' }]);
    assert.equal(await reloaded.token('wss://gw-a:7443/'), 'a'.repeat(48));
  });

  it('attaching a URL again replaces its record; detaching forgets the token too', async () => {
    const storage = fakeStorage();
    const store = new AttachedGatewayStore(storage.state, storage.secrets);
    await store.save({ url: 'wss://gw-a:7443/', pin }, 'a'.repeat(48));
    await store.save({ url: 'wss://gw-a:7443/' }, 'c'.repeat(48));
    assert.deepEqual(store.list(), [{ url: 'wss://gw-a:7443/' }]);
    assert.equal(await store.token('wss://gw-a:7443/'), 'c'.repeat(48));
    await store.forget('wss://gw-a:7443/');
    assert.deepEqual(store.list(), []);
    assert.equal(storage.secretValues.size, 0);
  });

  it('ignores records it cannot read (an older or damaged globalState)', async () => {
    const storage = fakeStorage();
    await storage.state.update('bifrost.attachedGateways', [{ url: 'wss://ok:1/' }, { url: 7 }, null, { url: 'wss://bad-pin:1/', pin: { fingerprint256: 1 } }]);
    assert.deepEqual(new AttachedGatewayStore(storage.state, storage.secrets).list(), [{ url: 'wss://ok:1/' }]);
  });
});

describe('gateway URL as typed', () => {
  it('takes wss:// URLs, with or without a trailing slash, as wss://host:port/', () => {
    assert.deepEqual(parseGatewayUrl(' wss://gw-site-a.example.com:7443 '), { url: 'wss://gw-site-a.example.com:7443/' });
    assert.deepEqual(parseGatewayUrl('wss://10.0.4.20:7443/'), { url: 'wss://10.0.4.20:7443/' });
    assert.deepEqual(parseGatewayUrl('wss://[fe80::1]:7443'), { url: 'wss://[fe80::1]:7443/' });
  });

  it('takes plain ws:// only to this machine (the local end of an SSH tunnel)', () => {
    assert.deepEqual(parseGatewayUrl('ws://127.0.0.1:7443'), { url: 'ws://127.0.0.1:7443/' });
    assert.deepEqual(parseGatewayUrl('ws://localhost:7443/'), { url: 'ws://localhost:7443/' });
    assert.match((parseGatewayUrl('ws://10.0.4.20:7443') as { error: string }).error, /ws:\/\/ is for 127\.0\.0\.1 only, the end of an SSH tunnel/);
  });

  it('refuses plain ws:// elsewhere, a token in the URL, a path, and what is not a URL, saying why', () => {
    assert.match((parseGatewayUrl('ws://gw:7443') as { error: string }).error, /starts with wss:\/\/, not ws:\/\//);
    assert.match((parseGatewayUrl('wss://gw:7443/?token=abc') as { error: string }).error, /without a token/);
    assert.match((parseGatewayUrl('wss://gw:7443/bifrost') as { error: string }).error, /root of the gateway's address, not at \/bifrost/);
    assert.match((parseGatewayUrl('gw:7443') as { error: string }).error, /starts with wss:\/\//);
    assert.match((parseGatewayUrl('not a url') as { error: string }).error, /is not a URL/);
  });

  it('says the scheme is missing from host:port, showing the URL to type, instead of taking the host for a scheme', () => {
    const byName = (parseGatewayUrl('gw-site-a.example.com:7443') as { error: string }).error;
    assert.match(byName, /^"gw-site-a\.example\.com:7443" has no scheme: a gateway's URL starts with wss:\/\/, like wss:\/\/gw-site-a\.example\.com:7443$/);
    assert.doesNotMatch(byName, /gw-site-a\.example\.com:\/\//);
    assert.match((parseGatewayUrl('127.0.0.1:7443') as { error: string }).error, /has no scheme: .* like wss:\/\/127\.0\.0\.1:7443$/);
  });
});
