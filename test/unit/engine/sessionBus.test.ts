/**
 * The serial bus queue against an in-memory link: one request at a time in
 * arrival order, input flushed before each, gaps kept, a dead unit costing only
 * its own timeout, stale replies from other units dropped, and a lost link
 * rejecting everything.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { silentLogger } from '../../../gateway/engine/logger';
import { SerialBus, type BusMember } from '../../../gateway/engine/serialBus';
import { ConnectionClosedError, FrameError, TimeoutError } from '../../../gateway/protocol/errors';
import { encodeRequest, requestContext, type ModbusRequest } from '../../../gateway/protocol/requests';
import { encodeResponse } from '../../../gateway/protocol/responses';
import { decodeRtuFrame, encodeRtuFrame } from '../../../gateway/protocol/rtuFraming';
import type { LinkFrame } from '../../../gateway/transport/frames';
import type { FrameLink, FrameLinkEvents } from '../../../gateway/transport/link';

type Event = { kind: 'flush' } | { kind: 'send'; unitId: number; at: number } | { kind: 'reply'; unitId: number; at: number };

class FakeLink extends EventEmitter<FrameLinkEvents> implements FrameLink {
  readonly name = 'rtu:///dev/fake';
  isOpen = true;
  readonly events: Event[] = [];
  /** Units that answer, and after how many ms. */
  answers = new Map<number, number>();
  inFlight = 0;
  maxInFlight = 0;

  send(frame: Buffer): boolean {
    const { unitId, pdu } = decodeRtuFrame(frame);
    this.events.push({ kind: 'send', unitId, at: performance.now() });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const delay = this.answers.get(unitId);
    if (delay === undefined) {
      // Silent unit: the request is over once the bus gives up on it.
      setImmediate(() => this.inFlight--);
      return true;
    }
    setTimeout(() => {
      this.inFlight--;
      this.events.push({ kind: 'reply', unitId, at: performance.now() });
      this.emit('frame', encodeRtuFrame(unitId, encodeResponse({ functionCode: 3, registers: [pdu.readUInt16BE(1)] })));
    }, delay);
    return true;
  }
  discardInput(): Promise<void> {
    this.events.push({ kind: 'flush' });
    return Promise.resolve();
  }
  close(): Promise<void> {
    if (this.isOpen) {
      this.isOpen = false;
      this.emit('close', undefined);
    }
    return Promise.resolve();
  }
  lose(): void {
    this.isOpen = false;
    this.emit('close', new Error('device unplugged'));
  }
}

function read(member: BusMember, address: number, timeoutMs = 100) {
  const request: ModbusRequest = { functionCode: 3, address, quantity: 1 };
  const context = { device: member.device, unitId: member.unitId, ...requestContext(request) };
  return member.exchange({ request, pdu: encodeRequest(request), context, unitId: member.unitId, timeoutMs });
}

describe('serial bus', () => {
  let link: FakeLink;
  let bus: SerialBus;
  let frames: LinkFrame[];

  beforeEach(() => {
    link = new FakeLink();
    frames = [];
    bus = new SerialBus({
      key: '/dev/fake',
      framing: 'rtu',
      silenceMs: 2,
      wireTimeMs: () => 0,
      openLink: async () => link,
      logger: silentLogger,
      onFrame: (frame) => frames.push(frame),
    });
  });

  it('sends one request at a time, in arrival order, flushing input before each', async () => {
    link.answers.set(1, 5).set(2, 1);
    const a = await bus.attach('A', 1, 0);
    const b = await bus.attach('B', 2, 0);
    const replies = await Promise.all([read(a, 10), read(b, 20), read(a, 11), read(b, 21)]);
    assert.deepEqual(replies.map((r) => ('registers' in r ? r.registers[0] : -1)), [10, 20, 11, 21]);
    assert.equal(link.maxInFlight, 1);
    const kinds = link.events.map((e) => (e.kind === 'flush' ? 'flush' : `${e.kind}${e.unitId}`));
    assert.deepEqual(kinds, ['flush', 'send1', 'reply1', 'flush', 'send2', 'reply2', 'flush', 'send1', 'reply1', 'flush', 'send2', 'reply2']);
    assert.deepEqual(frames.map((f) => `${f.direction}:${f.device}:${f.unitId}`).slice(0, 2), ['tx:A:1', 'rx:A:1']);
  });

  it('keeps the silence (or the device gap, if longer) between the last byte and the next request', async () => {
    link.answers.set(1, 0).set(2, 0);
    const a = await bus.attach('A', 1, 0);
    const b = await bus.attach('B', 2, 15);
    await Promise.all([read(a, 1), read(a, 2), read(b, 3)]);
    const sendsAndReplies = link.events.filter((e) => e.kind !== 'flush') as Exclude<Event, { kind: 'flush' }>[];
    // Lower bounds only: a gap may be longer on a busy machine, never shorter.
    const gapBefore = (index: number) => sendsAndReplies[index].at - sendsAndReplies[index - 1].at;
    assert.ok(gapBefore(2) >= 2 - 0.1, `t3.5 between A's requests: ${gapBefore(2)} ms`);
    assert.ok(gapBefore(4) >= 15 - 0.1, `B's minGapMs before its request: ${gapBefore(4)} ms`);
  });

  it('lets a dead unit cost only its own timeout: the live one is answered around it', async () => {
    link.answers.set(1, 1);
    const live = await bus.attach('Live', 1, 0);
    const dead = await bus.attach('Dead', 7, 0);
    const results = await Promise.allSettled([read(dead, 0, 30), read(live, 1), read(dead, 2, 30), read(live, 3)]);
    assert.deepEqual(results.map((r) => r.status), ['rejected', 'fulfilled', 'rejected', 'fulfilled']);
    const error = (results[0] as PromiseRejectedResult).reason;
    assert.ok(error instanceof TimeoutError);
    assert.equal(error.message, 'Dead: no reply from unit 7 to read holding registers 0 within 30 ms');
  });

  it('takes the last of two replies from the unit that arrive together: the first is a late one written with it', async () => {
    const a = await bus.attach('A', 1, 0);
    // The device held its reply to an earlier read of register 77 and writes it with this one's.
    link.send = (frame) => {
      const address = decodeRtuFrame(frame).pdu.readUInt16BE(1);
      setImmediate(() => {
        link.emit('frame', encodeRtuFrame(1, encodeResponse({ functionCode: 3, registers: [77] })));
        link.emit('frame', encodeRtuFrame(1, encodeResponse({ functionCode: 3, registers: [address] })));
      });
      return true;
    };
    const reply = await read(a, 5);
    assert.deepEqual('registers' in reply && reply.registers, [5]);
    const dropped = frames.filter((f) => f.direction === 'rx' && f.note?.includes('late reply'));
    assert.equal(dropped.length, 1, 'the late reply is captured as dropped');
    assert.equal(decodeRtuFrame(Buffer.from(dropped[0].bytes)).pdu.readUInt16BE(2), 77);
  });

  it('does not ask a unit again until its late reply has come: that reply never answers the next request', async () => {
    const a = await bus.attach('A', 1, 0);
    const b = await bus.attach('B', 2, 0);
    link.answers.set(2, 1);
    let first = true;
    const order: number[] = [];
    const send = link.send.bind(link);
    link.send = (frame) => {
      const { unitId, pdu } = decodeRtuFrame(frame);
      order.push(unitId);
      if (unitId !== 1) return send(frame);
      const address = pdu.readUInt16BE(1);
      // Unit 1 answers its first request 60 ms late (timeout 30), the rest at once.
      const delay = first ? 60 : 1;
      first = false;
      setTimeout(() => link.emit('frame', encodeRtuFrame(1, encodeResponse({ functionCode: 3, registers: [address] }))), delay);
      return true;
    };
    const results = await Promise.allSettled([read(a, 5, 30), read(a, 6, 30), read(b, 7, 30)]);
    assert.equal(results[0].status, 'rejected');
    assert.ok((results[0] as PromiseRejectedResult).reason instanceof TimeoutError);
    assert.deepEqual(results.slice(1).map((r) => r.status === 'fulfilled' && 'registers' in r.value && r.value.registers), [[6], [7]]);
    // B was asked while A's late reply was still owed; A's second request went after it came.
    assert.deepEqual(order, [1, 2, 1]);
    assert.ok(frames.some((f) => f.direction === 'rx' && f.unitId === 1 && f.note?.includes('late')), 'the late reply is captured as dropped');
  });

  it('drops a reply from another unit (a late answer) instead of taking it as this one', async () => {
    const a = await bus.attach('A', 1, 0);
    const b = await bus.attach('B', 2, 0);
    link.answers.set(1, 5);
    // Unit 2 "answers" right after unit 1 is asked: not the reply being waited for.
    const send = link.send.bind(link);
    link.send = (frame) => {
      const sent = send(frame);
      link.emit('frame', encodeRtuFrame(2, encodeResponse({ functionCode: 3, registers: [999] })));
      return sent;
    };
    const reply = await read(a, 5);
    assert.deepEqual('registers' in reply && reply.registers, [5]);
    assert.equal(b.staleReplies, 1);
    assert.ok(frames.some((f) => f.unitId === 2 && f.note?.includes('dropped')));
  });

  it('turns a reply with the wrong function into a FrameError naming the request', async () => {
    const a = await bus.attach('A', 1, 0);
    link.send = (frame) => {
      setImmediate(() => link.emit('frame', encodeRtuFrame(1, encodeResponse({ functionCode: 4, registers: [1] }))));
      return Boolean(frame);
    };
    await assert.rejects(read(a, 0), FrameError);
  });

  it('does not wait for an answer to a broadcast write (unit 0)', async () => {
    const all = await bus.attach('All', 0, 0);
    const request: ModbusRequest = { functionCode: 6, address: 3, value: 9 };
    const context = { device: 'All', unitId: 0, ...requestContext(request) };
    const result = await all.exchange({ request, pdu: encodeRequest(request), context, unitId: 0, timeoutMs: 5000 });
    assert.deepEqual(result, { functionCode: 6, address: 3, value: 9 });
    await assert.rejects(read(all, 0, 5000), /unit 0 is broadcast/);
  });

  it('rejects the request on the wire and every queued one when the link is lost, and tells each member', async () => {
    const a = await bus.attach('A', 1, 0);
    const b = await bus.attach('B', 2, 0);
    const lost: string[] = [];
    a.onLost((reason) => lost.push(`A: ${reason}`));
    b.onLost((reason) => lost.push(`B: ${reason}`));
    const waiting = [read(a, 0, 5000), read(b, 1, 5000), read(a, 2, 5000)];
    setTimeout(() => link.lose(), 5);
    const results = await Promise.allSettled(waiting);
    for (const result of results) {
      assert.equal(result.status, 'rejected');
      assert.ok((result as PromiseRejectedResult).reason instanceof ConnectionClosedError);
    }
    assert.deepEqual(lost.sort(), ['A: device unplugged', 'B: device unplugged']);
  });

  it('opens the link once for all members and closes it when the last one leaves', async () => {
    let opens = 0;
    bus.options.openLink = async () => {
      opens++;
      return link;
    };
    const [a, b] = await Promise.all([bus.attach('A', 1, 0), bus.attach('B', 2, 0)]);
    assert.equal(opens, 1);
    a.close('bye');
    assert.equal(link.isOpen, true);
    b.close('bye');
    assert.equal(link.isOpen, false);
  });
});
