/**
 * Part 1's table: p50/p99, requests per second and client CPU per request for
 * Bifrost, modbus-serial and a bare socket (the floor), against each server.
 */
import type { Connectors } from './clients';
import { compareLatency, pipelinedRate } from './latency';
import { connectRawSocket } from './rawClient';
import { num, ratio, table, verdict } from './report';
import type { BenchServer } from './servers';

const PLAN = { warmup: 3000, rounds: 10, perRound: 1000, roundDeadlineMs: 3000 };
const PIPELINE = { depth: 8, count: 20_000, deadlineMs: 3000 };
const GOAL = 2;

export async function latencySection(servers: readonly BenchServer[], connect: Connectors): Promise<string[]> {
  const rows: string[][] = [];
  const pipelined: string[] = [];
  let goalRatio = Number.NaN;
  let floorRatio = Number.NaN;
  for (const server of servers) {
    const clients = [
      await connect.connectBifrost(server.port),
      await connect.connectModbusSerial(server.port),
      await connectRawSocket(server.port),
    ];
    try {
      const results = await compareLatency(clients, PLAN);
      clients.forEach((client, index) => {
        const result = results[index];
        rows.push([server.name, client.name, num(result.p50Ms), num(result.p99Ms), num(result.rate), num(result.cpuUsPerRequest)]);
      });
      const [bifrost, modbusSerial, raw] = results;
      rows.push([server.name, '**Bifrost ÷ modbus-serial**', '', '', `**${ratio(bifrost.rate / modbusSerial.rate)}**`, '']);
      if (Number.isNaN(goalRatio)) {
        goalRatio = bifrost.rate / modbusSerial.rate;
        floorRatio = raw.rate / modbusSerial.rate;
      }
      // Bifrost pipelines only when the device allows it (maxInFlight); modbus-serial always lets requests overlap.
      const pipelining = await connect.connectBifrost(server.port, PIPELINE.depth);
      const rates = [];
      try {
        for (const client of [pipelining, clients[1]]) rates.push(await pipelinedRate(client, PIPELINE.depth, PIPELINE.count, PIPELINE.deadlineMs));
      } finally {
        await pipelining.close();
      }
      pipelined.push(`${server.name}: Bifrost ${num(rates[0])}, modbus-serial ${num(rates[1])} req/s (${ratio(rates[0] / rates[1])})`);
    } finally {
      for (const client of clients) await client.close();
    }
  }
  return [
    `### 1. One request at a time: 10-register FC 3 read, ${PLAN.rounds} × ${PLAN.perRound} per client after ${PLAN.warmup} warm-up, clients taking turns`,
    '',
    table(['Server', 'Client', 'p50 ms', 'p99 ms', 'req/s', 'client CPU µs/req'], rows),
    '',
    `For reference, ${PIPELINE.depth} requests in flight on one connection (Bifrost with maxInFlight ${PIPELINE.depth}): ${pipelined.join('; ')}.`,
    '',
    `Goal: Bifrost ≥ ${GOAL}× modbus-serial's req/s against the bench responder: ${ratio(goalRatio)}, ${verdict(goalRatio >= GOAL)}. ` +
      `A bare socket with no library at all reaches ${ratio(floorRatio)}: one request at a time, the round trip is the kernel and the server, not the client.`,
  ];
}
