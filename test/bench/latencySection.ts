/**
 * Part 1's table: p50/p99, requests per second and client CPU per request for
 * Bifrost, modbus-serial and a bare socket (the floor), against each server.
 */
import type { Connectors } from './clients';
import { compareLatency, comparePipelined, type Contender, type RoundRunner } from './latency';
import { runPingClient } from './native';
import { connectOnreadSocket } from './onreadClient';
import { builtPrograms } from './programs';
import { connectRawSocket } from './rawClient';
import { num, ratio, table, verdict } from './report';
import type { BenchServer } from './servers';

const PLAN = { warmup: 3000, rounds: 10, perRound: 1000, roundDeadlineMs: 3000 };
const PIPELINE = { depth: 8, warmup: 3000, rounds: 6, perRound: 5000, roundDeadlineMs: 3000 };
/** One request at a time against the leanest Node client (onread, nothing checked); pipelined against modbus-serial. */
const GOALS = { singleOfOnread: 0.95, pipelinedOfModbusSerial: 2 };

/** The C client as a contender: one process per round, timing itself. */
function cClient(program: string, port: number): RoundRunner {
  return { name: 'C client, blocking socket (machine floor)', round: (count) => runPingClient(program, port, count) };
}

export async function latencySection(servers: readonly BenchServer[], connect: Connectors): Promise<string[]> {
  const rows: string[][] = [];
  const pipelineRows: string[][] = [];
  let pipelineRatio = Number.NaN;
  let goalRatio = Number.NaN;
  let onreadRatio = Number.NaN;
  const floors = { stream: Number.NaN, onread: Number.NaN, c: Number.NaN };
  const native = builtPrograms().native;
  for (const server of servers) {
    const clients = [
      await connect.connectBifrost(server.port),
      await connect.connectModbusSerial(server.port),
      await connectRawSocket(server.port),
      await connectOnreadSocket(server.port),
    ];
    const contenders: Contender[] = [...clients, ...(native?.pingClient ? [cClient(native.pingClient, server.port)] : [])];
    try {
      const results = await compareLatency(contenders, PLAN);
      contenders.forEach((contender, index) => {
        const result = results[index];
        rows.push([server.name, contender.name, num(result.p50Ms), num(result.p99Ms), num(result.rate), num(result.cpuUsPerRequest)]);
      });
      if (!native?.pingClient) rows.push([server.name, 'C client (machine floor)', '', '', `not measured: ${native?.missing ?? 'not built'}`, '']);
      const [bifrost, modbusSerial, stream, onread, c] = results;
      rows.push([server.name, '**Bifrost ÷ modbus-serial**', '', '', `**${ratio(bifrost.rate / modbusSerial.rate)}**`, '']);
      if (Number.isNaN(goalRatio)) {
        goalRatio = bifrost.rate / modbusSerial.rate;
        onreadRatio = bifrost.rate / onread.rate;
        floors.stream = stream.rate / modbusSerial.rate;
        floors.onread = onread.rate / modbusSerial.rate;
        floors.c = c ? c.rate / modbusSerial.rate : Number.NaN;
      }
      // Bifrost pipelines only when the device allows it (maxInFlight); modbus-serial always lets requests overlap.
      const pipelining = await connect.connectBifrost(server.port, PIPELINE.depth);
      let rates;
      try {
        rates = await comparePipelined([pipelining, clients[1]], PIPELINE);
      } finally {
        await pipelining.close();
      }
      pipelineRows.push([server.name, pipelining.name, num(rates[0].rate), num(rates[0].cpuUsPerRequest)]);
      pipelineRows.push([server.name, clients[1].name, num(rates[1].rate), num(rates[1].cpuUsPerRequest)]);
      pipelineRows.push([server.name, '**Bifrost ÷ modbus-serial**', `**${ratio(rates[0].rate / rates[1].rate)}**`, '']);
      if (Number.isNaN(pipelineRatio)) pipelineRatio = rates[0].rate / rates[1].rate;
    } finally {
      for (const client of clients) await client.close();
    }
  }
  return [
    `### 1. One request at a time: 10-register FC 3 read, ${PLAN.rounds} × ${PLAN.perRound} per client after ${PLAN.warmup} warm-up, clients taking turns`,
    '',
    table(['Server', 'Client', 'p50 ms', 'p99 ms', 'req/s', 'client CPU µs/req'], rows),
    '',
    `Goal: one request at a time, Bifrost ≥ ${GOALS.singleOfOnread}× the leanest Node client (onread, nothing checked) against the bench responder: ` +
      `${ratio(onreadRatio)}, ${verdict(onreadRatio >= GOALS.singleOfOnread)} (Bifrost ${ratio(goalRatio)} modbus-serial; the floors as multiples of modbus-serial from the same rounds: ` +
      `a bare Node socket with the stream API ${ratio(floors.stream)}, onread ${ratio(floors.onread)}, a C client with no event loop ${ratio(floors.c)}). ` +
      'One request at a time, the round trip is mostly the kernel waking two processes, not the client.',
    '',
    `#### Pipelined: ${PIPELINE.depth} requests in flight on one connection, ${PIPELINE.rounds} × ${PIPELINE.perRound} per client after ${PIPELINE.warmup} warm-up, clients taking turns`,
    '',
    table(['Server', 'Client', 'req/s', 'client CPU µs/req'], pipelineRows),
    '',
    `Against the bench responder, pipelined: ${ratio(pipelineRatio)} modbus-serial's req/s (goal ≥ ${GOALS.pipelinedOfModbusSerial}×: ${verdict(pipelineRatio >= GOALS.pipelinedOfModbusSerial)}). ` +
      'Bifrost writes the requests queued in one tick in one write; modbus-serial writes each on its own.',
  ];
}
