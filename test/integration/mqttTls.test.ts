/**
 * MQTT over TLS: the shipped gateway against a mosquitto with a certificate from a CA of
 * the test's own (openssl). With "tls": {"ca"} it verifies the broker and publishes;
 * without the CA it refuses the broker and says why; an unreadable CA file stops `run`
 * with its path.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import mqtt from 'mqtt';
import { DEMO_LAYOUT, DEMO_SETPOINT_DEFAULT } from '../../gateway/api/demo';
import { startSimulator, stopAll, type Simulator } from './helpers/childProcess';
import { Mosquitto } from './helpers/mosquitto';
import { logLine, runGateway } from './helpers/mqttRun';
import { makeTestCertificates, type TestCertificates } from './helpers/testCertificates';
import { requireBuiltGateway } from './helpers/tools';
import { within } from './helpers/wait';

describe('MQTT over TLS', function () {
  this.timeout(60_000);
  let certificates: TestCertificates;
  let broker: Mosquitto;
  let simulator: Simulator;

  const config = (tls?: Record<string, unknown>) => ({
    devices: [{ name: 'sim', transport: { kind: 'tcp' as const, host: '127.0.0.1', port: simulator.port }, pollMs: 100, tags: [{ name: 'setpoint', address: `HR:${DEMO_LAYOUT.holding.setpoint}` }] }],
    mqtt: { url: broker.url, prefix: 'tls', ...(tls ? { tls } : {}) },
  });

  before(async () => {
    requireBuiltGateway();
    certificates = makeTestCertificates();
  });
  beforeEach(async () => {
    broker = await Mosquitto.start(certificates);
    simulator = await startSimulator();
  });
  afterEach(() => stopAll());

  it('verifies the broker against "ca" and publishes over mqtts://', async () => {
    const gateway = runGateway(config({ ca: certificates.ca }));
    await logLine(gateway, /mqtt: connected to mqtts:\/\/127\.0\.0\.1:\d+/);
    const subscriber = await mqtt.connectAsync(broker.url, { ca: fs.readFileSync(certificates.ca) });
    try {
      const arrived = within(new Promise<Buffer>((resolve) => subscriber.on('message', (_topic, payload) => resolve(payload))), 15_000, 'the retained setpoint over TLS');
      await subscriber.subscribeAsync('tls/sim/setpoint');
      assert.equal((JSON.parse((await arrived).toString()) as { value: number }).value, DEMO_SETPOINT_DEFAULT);
    } finally {
      await subscriber.endAsync(true);
    }
  });

  it('refuses a broker its CA does not vouch for, and says why', async () => {
    const gateway = runGateway(config());
    await logLine(gateway, /mqtt: mqtts:\/\/127\.0\.0\.1:\d+: .*(self-signed certificate|unable to verify)/);
    assert.ok(!gateway.stderr.some((line) => /mqtt: connected/.test(line)), gateway.stderr.join('\n'));
  });

  it('an unreadable CA file stops run, naming the setting and the file', async () => {
    const gateway = runGateway(config({ ca: '/nonexistent/broker-ca.pem' }));
    assert.equal((await gateway.exited).code, 1);
    assert.match(gateway.stderr.join('\n'), /mqtt\.tls\.ca: cannot read \/nonexistent\/broker-ca\.pem \(ENOENT\); expected a PEM file/);
  });
});
