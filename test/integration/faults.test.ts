/**
 * Every fault the simulator can inject, against polling and against a proxy with
 * several clients, in the gateway spawned from dist/gateway.js.
 *
 * "Faulty" and "Steady" are demo devices (units 1 and 2 of the gateway's own
 * simulator), each polling registers whose values are unique to the register;
 * a proxy in front of Faulty serves four clients, each reading registers of its
 * own, also unique. For each fault, on Faulty only: its errors reach its tags and
 * the proxy's clients as errors (never as values), Steady carries on untouched,
 * no value reaches the wrong tag or client, the capture marks what was injected,
 * and once the fault clears, polling and every client recover. The time to
 * recover is measured and printed, not asserted: timing depends on the machine.
 */
import assert from 'node:assert/strict';
import type { CapturedFrame } from '../../gateway/api/capture';
import type { TagValue } from '../../gateway/api/channel';
import type { SimulatorFault } from '../../gateway/api/simulator';
import { TestChannelClient } from './helpers/channelClient';
import { startGateway, stopAll, type Gateway } from './helpers/childProcess';
import { MbapClient, writeSingle } from './helpers/mbapClient';
import { freePort } from './helpers/ports';
import { LoadedClient } from './helpers/proxyLoad';
import { requireBuiltGateway } from './helpers/tools';
import { until } from './helpers/wait';

/** Registers hold 1000 + their address offset from 100: every value names its register. */
const valueAt = (address: number) => 1000 + address - 100;
const FAULTY_TAGS = [100, 120, 140, 160];
const STEADY_TAGS = [200, 220, 240, 260];
const CLIENT_REGISTERS = [300, 310, 320, 330];
const TIMEOUT_MS = 300;
const PROXY_TIMEOUT_MS = 1500;
/** Each proxy client asks again this long after a reply, as a fast SCADA poll does. */
const CLIENT_POLL_MS = 20;

/** "12 ok, 3 × 0x0b": what a client got, counted. */
function tally(replies: { kind: string; code?: number }[]): string {
  const counts = new Map<string, number>();
  for (const reply of replies) {
    const key = reply.kind === 'exception' ? `0x${reply.code!.toString(16).padStart(2, '0')}` : reply.kind;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, count]) => `${count} × ${key}`).join(', ') || 'nothing';
}

interface LoggedValue {
  at: number;
  value: TagValue;
}

interface Phase {
  fault: SimulatorFault;
  /** Polling of Faulty sees errors (else every read must stay good). */
  pollingErrors: boolean;
  /** Exception codes a proxy client may get during the fault; at least one of `required` must come (none: three good replies). */
  proxyCodes: number[];
  required: number[];
}

const TIMEOUTS = [0x0a, 0x0b];
const PHASES: Phase[] = [
  { fault: { kind: 'delay', delayMs: 1000 }, pollingErrors: true, proxyCodes: TIMEOUTS, required: TIMEOUTS },
  { fault: { kind: 'drop' }, pollingErrors: true, proxyCodes: TIMEOUTS, required: TIMEOUTS },
  { fault: { kind: 'drop', everyNth: 3 }, pollingErrors: true, proxyCodes: TIMEOUTS, required: TIMEOUTS },
  { fault: { kind: 'exception', exceptionCode: 4 }, pollingErrors: true, proxyCodes: [0x04], required: [0x04] },
  { fault: { kind: 'wrongTransactionId' }, pollingErrors: true, proxyCodes: TIMEOUTS, required: TIMEOUTS },
  { fault: { kind: 'wrongUnitId' }, pollingErrors: true, proxyCodes: TIMEOUTS, required: TIMEOUTS },
  // Slow, not wrong: a proxied request may outlast its budget queued behind the byte-by-byte replies (0x0B).
  { fault: { kind: 'split', gapMs: 2 }, pollingErrors: false, proxyCodes: [0x0b], required: [] },
  { fault: { kind: 'coalesce' }, pollingErrors: true, proxyCodes: TIMEOUTS, required: TIMEOUTS },
  { fault: { kind: 'garbage', bytes: 12 }, pollingErrors: true, proxyCodes: TIMEOUTS, required: TIMEOUTS },
  { fault: { kind: 'reset' }, pollingErrors: true, proxyCodes: TIMEOUTS, required: TIMEOUTS },
  { fault: { kind: 'silence' }, pollingErrors: true, proxyCodes: TIMEOUTS, required: TIMEOUTS },
];

interface Figures {
  fault: string;
  injected: number;
  pollingErrors: number;
  steadyReads: number;
  proxyReplies: number;
  mismatches: number;
  pollingRecoveryMs: number;
  proxyRecoveryMs: number;
}

describe('faults on purpose: polling and a proxy with several clients', function () {
  this.timeout(30_000);
  let gateway: Gateway;
  let channel: TestChannelClient;
  const log: LoggedValue[] = [];
  const loaded: LoadedClient[] = [];
  const figures: Figures[] = [];

  before(async function () {
    this.timeout(60_000);
    requireBuiltGateway();
    gateway = await startGateway();
    channel = await TestChannelClient.connect(gateway.ready.port, gateway.ready.token);
    channel.socket.on('message', (data) => {
      const message = JSON.parse(String(data));
      if (message.type === 'event' && message.event === 'tag.values') {
        const at = performance.now();
        for (const value of message.data.values as TagValue[]) log.push({ at, value });
      }
    });
    const proxyPort = await freePort();
    const tags = (addresses: number[], prefix: string) => [
      { name: `${prefix} counter`, address: 'HR:0', type: 'uint16' as const },
      ...addresses.map((address) => ({ name: `${prefix}${address}`, address: `HR:${address}`, type: 'uint16' as const })),
    ];
    const demo = (name: string, unitId: number, addresses: number[]) => ({
      name,
      transport: { kind: 'demo' as const },
      unitId,
      pollMs: 100,
      timeoutMs: TIMEOUT_MS,
      retries: 0,
      tags: tags(addresses, name === 'Faulty' ? 'f' : 's'),
    });
    await channel.request('config.apply', {
      config: {
        version: 1,
        devices: [demo('Faulty', 1, FAULTY_TAGS), demo('Steady', 2, STEADY_TAGS)],
        proxies: [{ name: 'P', listen: { host: '127.0.0.1', port: proxyPort }, device: 'Faulty', requestTimeoutMs: PROXY_TIMEOUT_MS, autoStart: true }],
      },
      source: 'faults test',
    });
    // Unique values in every register anyone reads, written through the proxy.
    const writer = await connectProxyClient(proxyPort);
    for (const address of [...FAULTY_TAGS, ...STEADY_TAGS, ...CLIENT_REGISTERS.flatMap((a) => [a, a + 1])]) {
      const reply = await writer.request(1, writeSingle(address, valueAt(address)));
      assert.equal(reply.pdu[0], 6, `writing HR:${address} through the proxy`);
    }
    writer.close();
    await until(() => allGood('Faulty', FAULTY_TAGS) && allGood('Steady', STEADY_TAGS), 10_000, 'every tag good with its value');
    for (const address of CLIENT_REGISTERS) {
      const client = new LoadedClient(await connectProxyClient(proxyPort), address, valueAt, PROXY_TIMEOUT_MS + 2000, CLIENT_POLL_MS);
      loaded.push(client);
      client.start();
    }
  });

  after(async () => {
    await Promise.all(loaded.map((client) => client.stop().catch(() => {})));
    for (const client of loaded) client.client.close();
    channel?.close();
    await stopAll();
    if (figures.length > 0) {
      process.stdout.write('\n      fault | injected | Faulty read errors | Steady good reads | proxy replies checked | mismatches | polling recovered in | proxy clients recovered in\n');
      for (const f of figures) {
        process.stdout.write(
          `      ${f.fault} | ${f.injected} | ${f.pollingErrors} | ${f.steadyReads} | ${f.proxyReplies} | ${f.mismatches} | ${f.pollingRecoveryMs.toFixed(0)} ms | ${f.proxyRecoveryMs.toFixed(0)} ms\n`,
        );
      }
    }
  });

  async function connectProxyClient(port: number): Promise<MbapClient> {
    return MbapClient.connect(port);
  }

  /** The latest value of each tag of `device`, from the events. */
  function latest(device: string): Map<string, TagValue> {
    const values = new Map<string, TagValue>();
    for (const { value } of log) if (value.device === device) values.set(value.tag, value);
    return values;
  }

  function allGood(device: string, addresses: number[]): boolean {
    const values = latest(device);
    const prefix = device === 'Faulty' ? 'f' : 's';
    return addresses.every((address) => values.get(`${prefix}${address}`)?.quality === 'good') && values.get(`${prefix} counter`)?.quality === 'good';
  }

  /** Values of `device` since `at` that are not what their register holds. */
  function wrongValues(since: number): string[] {
    return log
      .filter(({ at, value }) => at >= since && value.quality === 'good' && /^[fs]\d+$/.test(value.tag))
      .filter(({ value }) => value.value !== valueAt(Number(value.tag.slice(1))))
      .map(({ value }) => `${value.device} ${value.tag} = ${value.value}`);
  }

  afterEach(async () => {
    // A failed phase must not leave its fault on for the next one.
    await channel?.request('simulator.setFault', { device: 'Faulty', fault: null }).catch(() => {});
  });

  for (const phase of PHASES) {
    const name = `${phase.fault.kind}${phase.fault.everyNth ? ` 1 in ${phase.fault.everyNth}` : ''}`;
    it(`${name}: the right errors to the right callers, Steady untouched, then recovery`, async () => {
      // From a clean start: the phase before has recovered.
      await until(() => allGood('Faulty', FAULTY_TAGS), 10_000, 'Faulty good before the fault');
      const start = performance.now();
      const startEpoch = Date.now();
      const set = await channel.request('simulator.setFault', { device: 'Faulty', fault: phase.fault });
      assert.deepEqual(set.faults.map((state) => [state.target, state.unitId]), [['Faulty', 1]]);

      // Evidence: errors on Faulty's tags and at each proxy client (or, for a harmless fault, clean reads).
      if (phase.pollingErrors) {
        await until(() => log.some(({ at, value }) => at >= start && value.device === 'Faulty' && value.quality !== 'good'), 8000, `a bad or stale value on Faulty under ${name}`);
      }
      await until(
        () => loaded.every((client) => {
          const replies = client.since(start);
          return phase.required.length === 0 ? replies.filter((reply) => reply.kind === 'ok').length >= 3 : replies.some((reply) => reply.kind === 'exception' && phase.required.includes(reply.code!));
        }),
        8000,
        `every proxy client to see ${phase.required.length ? phase.required.map((code) => `0x${code.toString(16)}`).join(' or ') : 'three good replies'} under ${name}`,
      ).catch((error: Error) => {
        throw new Error(`${error.message}; the clients got: ${loaded.map((client, index) => `#${index} ${tally(client.since(start))}`).join('; ')}`);
      });
      if (!phase.pollingErrors) {
        // A reply in single bytes is still a reply: reads go on, all of them good.
        const mark = performance.now();
        await until(() => log.filter(({ at, value }) => at >= mark && value.device === 'Faulty' && value.tag === 'f counter').length >= 5, 8000, 'five more counter reads of Faulty');
        assert.deepEqual(log.filter(({ at, value }) => at >= start && value.device === 'Faulty' && value.quality !== 'good').map(({ value }) => `${value.tag}: ${value.error}`), []);
      }
      const faults = await channel.request('simulator.faults', {});
      const injected = faults.faults[0]?.injected ?? 0;
      assert.ok(injected > 0, `the simulator injected the fault (${JSON.stringify(faults.faults)})`);

      // The capture marks it (garbage no link takes as a frame is marked once it has waited for one).
      let marked: CapturedFrame[] = [];
      await until(() => marked.length > 0, 5000, `a captured frame marked injected under ${name}`, async () => {
        const capture = await channel.request('capture.snapshot', {});
        marked = capture.frames.filter((frame) => frame.ts >= startEpoch && frame.injected?.startsWith('fault:'));
      });
      assert.ok(marked.every((frame) => frame.device === 'Faulty'), `marked frames belong to Faulty: ${JSON.stringify(marked.slice(0, 3))}`);

      // Clear, and time the recovery.
      const cleared = performance.now();
      await channel.request('simulator.setFault', { device: 'Faulty', fault: null });
      await until(() => allGood('Faulty', FAULTY_TAGS), 10_000, `Faulty's tags good again after ${name}`);
      const pollingRecoveryMs = performance.now() - cleared;
      await until(() => loaded.every((client) => client.since(cleared).some((reply) => reply.kind === 'ok')), 10_000, `every proxy client answered again after ${name}`);
      const proxyRecoveryMs = Math.max(...loaded.map((client) => client.since(cleared).find((reply) => reply.kind === 'ok')!.at - cleared));

      // Nothing went to the wrong tag or client; the errors were the right ones; Steady carried on.
      const replies = loaded.flatMap((client) => client.since(start));
      const mismatches = wrongValues(start).length + replies.filter((reply) => reply.kind === 'mismatch').length;
      assert.deepEqual(wrongValues(start), [], 'every polled value is its own register’s');
      assert.deepEqual(replies.filter((reply) => reply.kind === 'mismatch' || reply.kind === 'unanswered').map((reply) => reply.detail), []);
      const strayCodes = replies.filter((reply) => reply.kind === 'exception' && !phase.proxyCodes.includes(reply.code!));
      assert.deepEqual(strayCodes.map((reply) => reply.code), [], `exception codes other than ${phase.proxyCodes.join(', ')}`);
      const steadyCounter = () => log.filter(({ at, value }) => at >= start && value.device === 'Steady' && value.tag === 's counter');
      await until(() => steadyCounter().length >= 3, 5000, 'Steady to keep polling');
      const steady = log.filter(({ at, value }) => at >= start && value.device === 'Steady');
      assert.deepEqual(steady.filter(({ value }) => value.quality !== 'good').map(({ value }) => `${value.tag}: ${value.error}`), [], 'Steady never had a bad read');

      figures.push({
        fault: name,
        injected,
        pollingErrors: log.filter(({ at, value }) => at >= start && at < cleared && value.device === 'Faulty' && value.quality !== 'good').length,
        steadyReads: steady.length,
        proxyReplies: replies.length,
        mismatches,
        pollingRecoveryMs,
        proxyRecoveryMs,
      });
    });
  }
});
