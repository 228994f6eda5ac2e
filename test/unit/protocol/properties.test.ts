/**
 * Property tests (fast-check): every function code's request and reply survive
 * encode → decode, in MBAP, RTU and ASCII framing and however the bytes are
 * chunked; every tag type in every word order survives encode → decode; and
 * random or mutated frames go through every parser without an undeclared
 * exception (test/fuzz/targets.ts). Bounded runs, so `npm test` stays fast;
 * `npm run fuzz` feeds a million frames.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { WordOrder } from '../../../gateway/api/config';
import { AsciiFrameSplitter, decodeAsciiFrame, encodeAsciiFrame } from '../../../gateway/protocol/asciiFraming';
import { decodeMbapFrame, encodeMbapFrame } from '../../../gateway/protocol/mbap';
import { MbapReassembler } from '../../../gateway/protocol/mbapReassembler';
import { decodeRequest, encodeRequest } from '../../../gateway/protocol/requests';
import { decodeResponse, encodeExceptionResponse, encodeResponse } from '../../../gateway/protocol/responses';
import { decodeRtuFrame, encodeRtuFrame, RtuFrameSplitter } from '../../../gateway/protocol/rtuFraming';
import { decodeRaw } from '../../../gateway/tags/decode';
import { encodeRaw } from '../../../gateway/tags/encode';
import { chunked, exchange, mutate, transactionId, unitId } from '../../fuzz/arbitraries';
import { FuzzTargets } from '../../fuzz/targets';

const RUNS = { numRuns: 300 };
const ORDERS: WordOrder[] = ['ABCD', 'CDAB', 'BADC', 'DCBA'];
const order = fc.constantFrom(...ORDERS);
const cuts = fc.array(fc.nat(600), { maxLength: 6 });

describe('protocol properties (fast-check)', () => {
  it('every request decodes to what was encoded', () => {
    fc.assert(
      fc.property(exchange, ({ request }) => {
        assert.deepEqual(decodeRequest(encodeRequest(request)), { ok: true, request });
      }),
      RUNS,
    );
  });

  it('every reply decodes, against its request, to what was encoded; so does its exception', () => {
    fc.assert(
      fc.property(exchange, fc.integer({ min: 1, max: 255 }), ({ request, response }, code) => {
        assert.deepEqual(decodeResponse(encodeResponse(response), request), response);
        assert.deepEqual(decodeResponse(encodeExceptionResponse(request.functionCode, code), request), {
          functionCode: request.functionCode,
          exceptionCode: code,
        });
      }),
      RUNS,
    );
  });

  it('MBAP: frames survive encode → decode and any chunking of a pipelined stream', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(exchange, unitId, transactionId), { minLength: 1, maxLength: 4 }), cuts, (items, cutPoints) => {
        const frames = items.map(([{ response }, unit, tid]) => ({ transactionId: tid, unitId: unit, pdu: encodeResponse(response) }));
        const wire = frames.map((frame) => encodeMbapFrame(frame));
        wire.forEach((adu, index) => assert.deepEqual(decodeMbapFrame(adu), frames[index]));
        const reassembler = new MbapReassembler();
        const out = chunked(Buffer.concat(wire), cutPoints).flatMap((chunk) => reassembler.push(chunk));
        assert.deepEqual(out, wire);
        assert.equal(reassembler.bufferedBytes, 0);
      }),
      RUNS,
    );
  });

  it('RTU: requests and replies survive encode → split (back to back, in any grouping) → decode', () => {
    // Chunks end at frame boundaries here. A chunk boundary inside a long frame lets
    // a run of its bytes pass for a whole frame about once in 65536 positions (the
    // splitter accepts a later candidate whose CRC holds and that ends where the
    // input ends): see the Reliability section of the README.
    fc.assert(
      fc.property(fc.array(fc.tuple(exchange, fc.integer({ min: 1, max: 247 }), fc.boolean()), { minLength: 1, maxLength: 3 }), (items) => {
        for (const role of ['request', 'response'] as const) {
          const units = items.map(([{ request, response }, unit]) => ({ unitId: unit, pdu: role === 'request' ? encodeRequest(request) : encodeResponse(response) }));
          const wire = units.map(({ unitId: unit, pdu }) => encodeRtuFrame(unit, pdu));
          // Each frame alone, or joined to the one before it in one chunk (coalesced).
          const chunks: Buffer[] = [];
          wire.forEach((frame, index) => {
            if (index > 0 && items[index][2]) chunks[chunks.length - 1] = Buffer.concat([chunks[chunks.length - 1], frame]);
            else chunks.push(frame);
          });
          const splitter = new RtuFrameSplitter(role);
          const split = chunks.map((chunk) => splitter.push(chunk));
          assert.deepEqual(split.flatMap((result) => result.discarded), [], `${role}: nothing discarded`);
          assert.deepEqual(split.flatMap((result) => result.frames), wire, `${role}: the frames as sent`);
          assert.deepEqual(wire.map((frame) => decodeRtuFrame(frame)), units);
        }
      }),
      RUNS,
    );
  });

  it('ASCII: requests and replies survive encode → split (any chunking) → decode', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(exchange, fc.integer({ min: 1, max: 247 })), { minLength: 1, maxLength: 3 }), cuts, (items, cutPoints) => {
        const units = items.map(([{ response }, unit]) => ({ unitId: unit, pdu: encodeResponse(response) }));
        const wire = units.map(({ unitId: unit, pdu }) => encodeAsciiFrame(unit, pdu));
        const splitter = new AsciiFrameSplitter();
        const frames = chunked(Buffer.concat(wire), cutPoints.map((cut) => cut * 2)).flatMap((chunk) => splitter.push(chunk).frames);
        assert.deepEqual(frames, wire);
        assert.deepEqual(frames.map((frame) => decodeAsciiFrame(frame)), units.map((frame) => ({ ok: true, frame })));
      }),
      RUNS,
    );
  });

  describe('tag types in every word order', () => {
    /** `same` compares what came back with what went in (default: equal). */
    const roundTrip = <T>(type: Parameters<typeof encodeRaw>[0], values: fc.Arbitrary<T>, same: (decoded: unknown, value: T) => boolean = (decoded, value) => Object.is(decoded, value)) =>
      fc.assert(
        fc.property(values, order, (value, wordOrder) => {
          const registers = encodeRaw(type, wordOrder, value as never);
          assert.ok(registers.every((register) => Number.isInteger(register) && register >= 0 && register <= 0xffff));
          const decoded = decodeRaw(type, wordOrder, registers);
          assert.ok(same(decoded, value), `${type} ${wordOrder}: ${String(value)} came back as ${String(decoded)}`);
        }),
        RUNS,
      );

    it('int16, uint16, int32, uint32', () => {
      roundTrip('int16', fc.integer({ min: -0x8000, max: 0x7fff }));
      roundTrip('uint16', fc.integer({ min: 0, max: 0xffff }));
      roundTrip('int32', fc.integer({ min: -0x80000000, max: 0x7fffffff }));
      roundTrip('uint32', fc.integer({ min: 0, max: 0xffffffff }));
    });

    it('int64 and uint64, exact beyond 2^53', () => {
      roundTrip('int64', fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }));
      roundTrip('uint64', fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }));
    });

    it('float32 (the same float32, shown shortest) and float64, NaN and infinities included', () => {
      roundTrip('float32', fc.float(), (decoded, value) => Object.is(Math.fround(decoded as number), Math.fround(value)));
      roundTrip('float64', fc.double());
    });

    it('string: printable ASCII in its registers, whatever their count', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 20 }), fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength: 40 }), order, (length, raw, wordOrder) => {
          const text = raw.slice(0, length * 2).replace(/ +$/, '');
          const registers = encodeRaw('string', wordOrder, text, length);
          assert.equal(registers.length, length);
          assert.equal(decodeRaw('string', wordOrder, registers, length), text);
        }),
        RUNS,
      );
    });

    it('bcd16 and bcd32', () => {
      roundTrip('bcd16', fc.integer({ min: 0, max: 9999 }));
      roundTrip('bcd32', fc.integer({ min: 0, max: 99_999_999 }));
    });
  });

  describe('random and mutated frames through every parser', function () {
    // A few thousand frames through 18 parsers each: seconds on a busy 2-core machine.
    this.timeout(30_000);
    it('random bytes: no undeclared exception, nothing buffered past a frame', () => {
      const targets = new FuzzTargets();
      fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => targets.feed(Buffer.from(bytes))), { numRuns: 1000 });
      assert.equal(targets.failureCount, 0, describeFailures(targets));
    });

    it('valid frames mutated (bits flipped, bytes cut, inserted, repeated): the same', () => {
      const targets = new FuzzTargets();
      fc.assert(
        fc.property(exchange, unitId, transactionId, fc.integer(), fc.nat(2), ({ request, response }, unit, tid, seed, framing) => {
          const pdu = seed % 2 === 0 ? encodeRequest(request) : encodeResponse(response);
          const frame = [encodeMbapFrame({ transactionId: tid, unitId: unit, pdu }), encodeRtuFrame(unit, pdu), encodeAsciiFrame(unit, pdu)][framing];
          let state = seed >>> 0;
          const random = () => ((state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32);
          targets.feed(mutate(frame, random));
          targets.feed(frame);
        }),
        { numRuns: 500 },
      );
      assert.equal(targets.failureCount, 0, describeFailures(targets));
      assert.ok(targets.proxyRequests > 0, 'the proxy parser took some frames as requests');
    });
  });
});

function describeFailures(targets: FuzzTargets): string {
  return targets.failures.map((failure) => `${failure.parser} on ${failure.frame.toString('hex')}: ${(failure.error as Error)?.stack ?? failure.error}`).join('\n');
}
