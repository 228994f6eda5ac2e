/**
 * Part 1's table: p50/p99, requests per second and client CPU per request for
 * Bifrost, modbus-serial and a bare socket (the floor), against each server.
 */
import type { Connectors } from './clients';
import { compareLatency, comparePipelined } from './latency';
import { connectRawSocket } from './rawClient';
import { num, ratio, table, verdict } from './report';
import type { BenchServer } from './servers';

const PLAN = { warmup: 3000, rounds: 10, perRound: 1000, roundDeadlineMs: 3000 };
const PIPELINE = { depth: 8, warmup: 3000, rounds: 6, perRound: 5000, roundDeadlineMs: 3000 };
const GOAL = 2;

export async function latencySection(servers: readonly BenchServer[], connect: Connectors): Promise<string[]> {
  const rows: string[][] = [];
  const pipelineRows: string[][] = [];
  let pipelineRatio = Number.NaN;
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
    `Goal: Bifrost ≥ ${GOAL}× modbus-serial's req/s against the bench responder: ${ratio(goalRatio)}, ${verdict(goalRatio >= GOAL)}. ` +
      `A bare socket with no library at all reaches ${ratio(floorRatio)}: one request at a time, the round trip is the kernel and the server, not the client.`,
    '',
    `#### Pipelined: ${PIPELINE.depth} requests in flight on one connection, ${PIPELINE.rounds} × ${PIPELINE.perRound} per client after ${PIPELINE.warmup} warm-up, clients taking turns`,
    '',
    table(['Server', 'Client', 'req/s', 'client CPU µs/req'], pipelineRows),
    '',
    `Against the bench responder, pipelined: ${ratio(pipelineRatio)} modbus-serial's req/s (goal ≥ ${GOAL}×: ${verdict(pipelineRatio >= GOAL)}). ` +
      'Bifrost writes the requests queued in one tick in one write; modbus-serial writes each on its own.',
  ];
}
