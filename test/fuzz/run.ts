/**
 * `npm run fuzz`: a million frames (random bytes, and valid frames of every
 * function code mutated the ways lines and buggy devices mutate them) through every
 * parser in test/fuzz/targets.ts. Prints frames fuzzed, exceptions that escaped
 * (must be 0), the slowest frame (CPU and wall time), and the heap before and
 * after; exits 1 on any
 * escape. `FUZZ_FRAMES=N` changes the count, `FUZZ_SEED=N` replays a run.
 */
import fc from 'fast-check';
import { encodeAsciiFrame } from '../../gateway/protocol/asciiFraming';
import { encodeMbapFrame } from '../../gateway/protocol/mbap';
import { encodeRequest } from '../../gateway/protocol/requests';
import { encodeResponse } from '../../gateway/protocol/responses';
import { encodeRtuFrame } from '../../gateway/protocol/rtuFraming';
import { exchange, mutate } from './arbitraries';
import { FuzzTargets } from './targets';

const FRAMES = Number(process.env.FUZZ_FRAMES ?? 1_000_000);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
/** Valid frames drawn up front and mutated over and over: drawing each with fast-check would dominate the run. */
const CORPUS = 5000;

function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function corpus(): Buffer[] {
  const frames: Buffer[] = [];
  for (const [{ request, response }, unit, tid] of fc.sample(fc.tuple(exchange, fc.nat(255), fc.nat(0xffff)), { numRuns: CORPUS, seed: SEED })) {
    for (const pdu of [encodeRequest(request), encodeResponse(response)]) {
      frames.push(encodeMbapFrame({ transactionId: tid, unitId: unit, pdu }), encodeRtuFrame(unit, pdu), encodeAsciiFrame(unit, pdu));
    }
  }
  return frames;
}

function heapMb(): number {
  global.gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

function main(): void {
  const random = lcg(SEED);
  const valid = corpus();
  const targets = new FuzzTargets();
  const heapBefore = heapMb();
  let slowest = 0;
  /** CPU time, not wall time: where other processes compete for the cores, a frame's wall time includes waiting for one. */
  let slowestCpu = 0;
  let slowestFrame: Buffer = Buffer.alloc(0);
  let mutated = 0;
  const started = performance.now();
  for (let index = 0; index < FRAMES; index++) {
    let frame: Buffer;
    if (random() < 0.3) {
      frame = Buffer.allocUnsafe(Math.floor(random() * 300));
      for (let i = 0; i < frame.length; i++) frame[i] = Math.floor(random() * 256);
    } else {
      frame = mutate(valid[Math.floor(random() * valid.length)], random);
      // Sometimes mutate again: two faults in one frame.
      if (random() < 0.2) frame = mutate(frame, random);
      mutated++;
    }
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    targets.feed(frame);
    const took = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    if (took > slowest) slowest = took;
    if (cpuMs > slowestCpu) {
      slowestCpu = cpuMs;
      slowestFrame = frame;
    }
    if ((index + 1) % 100_000 === 0) process.stderr.write(`  ${index + 1} frames, ${targets.failureCount} escaped\n`);
  }
  const seconds = (performance.now() - started) / 1000;
  const heapAfter = heapMb();
  const lines = [
    `seed                     ${SEED}`,
    `frames fuzzed            ${FRAMES.toLocaleString('en-US')} (${mutated.toLocaleString('en-US')} mutated valid frames, the rest random bytes)`,
    `parsers per frame        18 (the decoder in 3 framings × 3 directions, 4 codecs, 4 stream splitters, the proxy's client parser)`,
    `exceptions escaped       ${targets.failureCount}`,
    `proxy parser             ${targets.proxyRequests.toLocaleString('en-US')} requests taken, ${targets.proxyClosed.toLocaleString('en-US')} bad streams closed`,
    `max CPU time per frame   ${slowestCpu.toFixed(3)} ms (${slowestFrame.length} bytes: ${slowestFrame.toString('hex').slice(0, 80)}${slowestFrame.length > 40 ? '…' : ''})`,
    `max wall time per frame  ${slowest.toFixed(3)} ms (includes time the process was not running)`,
    `mean time per frame      ${((seconds * 1000) / FRAMES).toFixed(4)} ms (${seconds.toFixed(1)} s in all)`,
    `heap before / after      ${heapBefore.toFixed(1)} MB / ${heapAfter.toFixed(1)} MB${global.gc ? ' (after gc)' : ' (no --expose-gc: not collected first)'}`,
  ];
  const byTime = [...targets.total].sort((a, b) => b[1] - a[1]).slice(0, 5);
  lines.push('slowest parsers          ' + byTime.map(([parser, ms]) => `${parser} ${((ms * 1000) / FRAMES).toFixed(1)} µs/frame (max ${targets.slowest.get(parser)!.toFixed(1)} ms)`).join('; '));
  process.stdout.write(`${lines.join('\n')}\n`);
  for (const failure of targets.failures) {
    process.stdout.write(`\n${failure.parser} on ${failure.frame.toString('hex')}:\n${(failure.error as Error)?.stack ?? String(failure.error)}\n`);
  }
  process.exitCode = targets.failureCount === 0 ? 0 : 1;
}

main();
