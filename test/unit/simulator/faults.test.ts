import assert from 'node:assert/strict';
import net from 'node:net';
import type { SimulatorFault } from '../../../gateway/api/simulator';
import { InjectionLedger } from '../../../gateway/capture/injectionLedger';
import { decodeAsciiFrame } from '../../../gateway/protocol/asciiFraming';
import { crc16 } from '../../../gateway/protocol/crc16';
import { decodeMbapFrame, encodeMbapFrame } from '../../../gateway/protocol/mbap';
import { EVERY_UNIT, FaultPlan, type InjectedFault } from '../../../gateway/simulator/faultPlan';
import { planDelivery } from '../../../gateway/simulator/faultyReply';
import { ReplyOutbox } from '../../../gateway/simulator/replyOutbox';
import { ModbusTcpServer } from '../../../gateway/simulator/tcpServer';
import type { LinkFrame } from '../../../gateway/transport/frames';

const REPLY = Buffer.from('03020457', 'hex');
const header = { unitId: 7, transactionId: 0x0102, functionCode: 3 };

describe('simulator faults', () => {
  describe('FaultPlan', () => {
    it('faults every Nth request per unit id and counts what it did', () => {
      const plan = new FaultPlan();
      plan.set(1, { kind: 'drop', everyNth: 3 }, 'Boiler');
      const chosen = Array.from({ length: 9 }, () => plan.choose(1)?.label);
      assert.deepEqual(chosen.map((label) => label !== undefined), [false, false, true, false, false, true, false, false, true]);
      assert.equal(chosen[2], 'fault: reply dropped, 1 in 3');
      assert.equal(plan.choose(2), undefined, 'another unit id is not faulted');
      assert.deepEqual(plan.states(), [{ target: 'Boiler', unitId: 1, fault: { kind: 'drop', everyNth: 3 }, injected: 3, requests: 9 }]);
    });

    it('draws a probability per request, and silence ignores both', () => {
      const draws = [0.05, 0.5, 0.09, 0.95];
      const plan = new FaultPlan(() => draws.shift()!);
      plan.set(EVERY_UNIT, { kind: 'exception', probability: 0.1 });
      assert.deepEqual([1, 2, 3, 4].map((unit) => plan.choose(unit) !== undefined), [true, false, true, false]);
      plan.set(EVERY_UNIT, { kind: 'silence', everyNth: 5, probability: 0 });
      assert.ok(plan.choose(9), 'a silent device is silent to every request');
      plan.set(EVERY_UNIT, null);
      assert.ok(plan.empty);
    });
  });

  describe('planDelivery', () => {
    const plan = (fault: SimulatorFault, framing: 'mbap' | 'rtu' | 'ascii' = 'mbap') => planDelivery(framing, header, REPLY, fault);
    const sent = (fault: SimulatorFault, framing: 'mbap' | 'rtu' | 'ascii' = 'mbap') => {
      const delivery = plan(fault, framing);
      assert.equal(delivery.kind, 'send');
      return delivery as Extract<typeof delivery, { kind: 'send' }>;
    };

    it('delays, splits and holds the plain reply', () => {
      const plain = encodeMbapFrame({ transactionId: 0x0102, unitId: 7, pdu: REPLY });
      assert.deepEqual(sent({ kind: 'delay', delayMs: 1234 }), { kind: 'send', bytes: plain, delayMs: 1234 });
      assert.deepEqual(sent({ kind: 'split' }), { kind: 'send', bytes: plain, delayMs: 0, gapMs: 2 });
      assert.deepEqual(plan({ kind: 'coalesce' }), { kind: 'hold', bytes: plain });
      assert.deepEqual(plan({ kind: 'drop' }), { kind: 'nothing' });
      assert.deepEqual(plan({ kind: 'reset' }), { kind: 'reset' });
    });

    it('answers an exception, a wrong transaction id or a wrong unit id', () => {
      assert.equal(decodeMbapFrame(sent({ kind: 'exception', exceptionCode: 6 }).bytes).pdu.toString('hex'), '8306');
      const wrongTid = decodeMbapFrame(sent({ kind: 'wrongTransactionId' }).bytes);
      assert.notEqual(wrongTid.transactionId, 0x0102);
      assert.deepEqual(wrongTid.pdu, REPLY);
      const wrongUnit = decodeMbapFrame(sent({ kind: 'wrongUnitId' }).bytes);
      assert.equal(wrongUnit.transactionId, 0x0102);
      assert.notEqual(wrongUnit.unitId, 7);
      assert.equal(sent({ kind: 'garbage', bytes: 5 }).bytes.length, 5);
    });

    it('breaks the CRC of an RTU reply and the LRC of an ASCII one, and nothing else', () => {
      const rtu = sent({ kind: 'badChecksum' }, 'rtu').bytes;
      assert.deepEqual(rtu.subarray(0, 5), Buffer.from('0703020457', 'hex'));
      assert.notEqual(rtu.readUInt16LE(rtu.length - 2), crc16(rtu.subarray(0, rtu.length - 2)));
      const ascii = sent({ kind: 'badChecksum' }, 'ascii').bytes;
      assert.equal(ascii.toString('latin1', 0, 11), ':0703020457');
      const decoded = decodeAsciiFrame(ascii);
      assert.ok(!decoded.ok && /LRC/i.test(decoded.error), JSON.stringify(decoded));
    });
  });

  describe('the TCP server', () => {
    let server: ModbusTcpServer;
    let plan: FaultPlan;
    let injected: InjectedFault[];
    let port: number;

    beforeEach(async () => {
      plan = new FaultPlan();
      injected = [];
      let count = 0;
      server = new ModbusTcpServer({
        handler: () => Buffer.from([0x03, 0x02, 0x00, ++count]),
        faults: plan,
        onInjected: (fault) => injected.push(fault),
      });
      ({ port } = await server.listen('127.0.0.1', 0));
    });
    afterEach(() => server.close());

    /** Send the requests; collect every chunk that arrives until `done` says so, or the socket closes. */
    async function exchange(transactionIds: number[], done: (received: Buffer[]) => boolean): Promise<{ chunks: Buffer[]; closed: string }> {
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.on('error', () => {});
      const chunks: Buffer[] = [];
      return new Promise((resolve) => {
        const finish = (closed: string) => {
          socket.destroy();
          resolve({ chunks, closed });
        };
        socket.on('connect', () => {
          for (const tid of transactionIds) socket.write(encodeMbapFrame({ transactionId: tid, unitId: 1, pdu: Buffer.from('0300000001', 'hex') }));
        });
        socket.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          if (done(chunks)) finish('no');
        });
        socket.on('close', (hadError) => finish(hadError ? 'reset' : 'closed'));
      });
    }

    it('sends a split reply whole, byte by byte, and says so', async () => {
      plan.set(1, { kind: 'split', gapMs: 1 });
      const { chunks } = await exchange([5], (received) => Buffer.concat(received).length >= 11);
      assert.equal(decodeMbapFrame(Buffer.concat(chunks)).transactionId, 5);
      assert.equal(injected[0].label, 'fault: reply split into single bytes 1 ms apart');
    });

    it('holds a reply and sends it in one write with the next', async () => {
      plan.set(1, { kind: 'coalesce', everyNth: 2 });
      const socket = net.connect({ host: '127.0.0.1', port });
      await new Promise((resolve) => socket.once('connect', resolve));
      const frame = (tid: number) => encodeMbapFrame({ transactionId: tid, unitId: 1, pdu: Buffer.from('0300000001', 'hex') });
      const chunk = () => new Promise<Buffer>((resolve) => socket.once('data', resolve));
      socket.write(frame(1));
      assert.equal(decodeMbapFrame(await chunk()).transactionId, 1);
      const second = chunk();
      socket.write(frame(2)); // held
      await new Promise((resolve) => setImmediate(resolve));
      socket.write(frame(3));
      const both = await second;
      socket.destroy();
      assert.equal(both.length, 22, 'replies 2 and 3 in one chunk');
      assert.deepEqual([decodeMbapFrame(both.subarray(0, 11)).transactionId, decodeMbapFrame(both.subarray(11)).transactionId], [2, 3]);
    });

    it('resets the connection', async () => {
      plan.set(EVERY_UNIT, { kind: 'reset' });
      const { chunks, closed } = await exchange([1], () => false);
      assert.equal(chunks.length, 0);
      assert.equal(closed, 'reset');
      assert.deepEqual(injected, [{ label: 'fault: connection reset', unitId: 1 }]);
    });

    it('stays silent with the connection open, and answers again once cleared', async () => {
      plan.set(1, { kind: 'silence' });
      const socket = net.connect({ host: '127.0.0.1', port });
      await new Promise((resolve) => socket.once('connect', resolve));
      const frame = (tid: number) => encodeMbapFrame({ transactionId: tid, unitId: 1, pdu: Buffer.from('0300000001', 'hex') });
      let received = 0;
      socket.on('data', () => received++);
      socket.write(frame(1));
      socket.write(frame(2));
      await until(() => injected.length === 2);
      assert.equal(received, 0);
      plan.set(1, null);
      const reply = new Promise<Buffer>((resolve) => socket.once('data', resolve));
      socket.write(frame(3));
      assert.equal(decodeMbapFrame(await reply).transactionId, 3);
      socket.destroy();
    });
  });

  describe('ReplyOutbox', () => {
    /** A socket that records each write. */
    const recorder = () => {
      const writes: string[] = [];
      return { writes, socket: { destroyed: false, write: (bytes: Buffer) => writes.push(bytes.toString('hex')) } as unknown as net.Socket };
    };
    const noWait = () => new Promise<void>((resolve) => setImmediate(resolve));

    it('dribbles one byte per write, and queues what comes meanwhile behind it', async () => {
      const { writes, socket } = recorder();
      const outbox = new ReplyOutbox(socket, noWait);
      outbox.dribble(Buffer.from('0a0b0c', 'hex'), 1);
      outbox.write(Buffer.from('ff', 'hex'));
      await until(() => writes.length === 4);
      assert.deepEqual(writes, ['0a', '0b', '0c', 'ff']);
    });

    it('writes held replies in front of the next, in one write', () => {
      const { writes, socket } = recorder();
      const outbox = new ReplyOutbox(socket, noWait);
      outbox.held.push(Buffer.from('01', 'hex'));
      outbox.write(Buffer.from('02', 'hex'));
      assert.deepEqual(writes, ['0102']);
    });
  });

  describe('InjectionLedger', () => {
    it('marks the received frame that carries the injected bytes, and reports what sent nothing', () => {
      const pushed: LinkFrame[] = [];
      const ledger = new InjectionLedger((frame) => pushed.push(frame));
      const bytes = Buffer.from('0001000000050103020457', 'hex');
      ledger.record({ label: 'fault: wrong unit id', unitId: 1, bytes }, { link: 'tcp://127.0.0.1:1', device: 'Demo' });
      ledger.record({ label: 'fault: reply dropped', unitId: 1 }, { link: 'tcp://127.0.0.1:1', device: 'Demo' });
      const tx: LinkFrame = { direction: 'tx', timestamp: 0, bytes, link: 'tcp://127.0.0.1:1' };
      const rx: LinkFrame = { direction: 'rx', timestamp: 0, bytes: Buffer.from(bytes), link: 'tcp://127.0.0.1:1' };
      ledger.annotate(tx);
      ledger.annotate(rx);
      ledger.close();
      assert.equal(tx.injected, undefined);
      assert.equal(rx.injected, 'fault: wrong unit id');
      assert.equal(pushed.length, 1);
      assert.deepEqual({ ...pushed[0], timestamp: 0 }, {
        direction: 'rx',
        timestamp: 0,
        bytes: Buffer.alloc(0),
        link: 'tcp://127.0.0.1:1',
        unitId: 1,
        device: 'Demo',
        injected: 'fault: reply dropped',
      });
    });
  });
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
