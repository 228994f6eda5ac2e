/** Part 2's table: requests per scan and tags per second, planned scan against the naive loop. */
import type { Connectors } from './clients';
import { num, ratio, table, verdict } from './report';
import { naiveScan, plannedScan, type ScanResult } from './scan';
import type { BenchServer } from './servers';
import { makeTags, minimumRequests } from './tagSet';

const SIZES = [
  { tags: 1_000, planned: { maxScans: 200, maxMs: 1500 }, naive: { maxScans: 5, maxMs: 1500 } },
  { tags: 10_000, planned: { maxScans: 50, maxMs: 2000 }, naive: { maxScans: 2, maxMs: 2500 } },
];

export async function scanSection(server: BenchServer, connect: Connectors): Promise<string[]> {
  const rows: string[][] = [];
  let allMinimal = true;
  const wrong: string[] = [];
  const bifrost = await connect.connectBifrost(server.port);
  const modbusSerial = await connect.connectModbusSerial(server.port);
  try {
    for (const size of SIZES) {
      const tags = makeTags(size.tags);
      const minimum = minimumRequests(tags);
      const planned = await plannedScan(bifrost, tags, size.planned);
      const naive = await naiveScan(modbusSerial, tags, size.naive);
      allMinimal &&= planned.requestsPerScan <= minimum.wholeTags;
      const row = (name: string, result: ScanResult) => {
        if (result.wrongValues > 0) wrong.push(`${name}, ${size.tags} tags: ${result.wrongValues} wrong values`);
        return [num(size.tags), name, num(result.requestsPerScan), `${minimum.floor} / ${minimum.wholeTags}`, num(result.msPerScan), num(result.tagsPerSecond), num(result.scans)];
      };
      rows.push(row('Bifrost planned scan', planned), row('modbus-serial, one read per tag', naive));
      rows.push([num(size.tags), '**planned ÷ naive**', '', '', '', `**${ratio(planned.tagsPerSecond / naive.tagsPerSecond)}**`, '']);
    }
  } finally {
    await bifrost.close();
    await modbusSerial.close();
  }
  return [
    '### 2. Scanning one TCP device (60% holding registers of mixed types, 20% input registers, 20% coils)',
    '',
    table(['Tags', 'Client', 'requests/scan', 'minimum: Σ⌈span/limit⌉ / whole tags', 'ms/scan', 'tags/s', 'scans'], rows),
    '',
    'Limits 125 registers and 2000 bits per read. "Whole tags": a 32-bit tag cannot be cut between two reads.',
    ...(wrong.length > 0 ? ['', `Wrong decoded values: ${wrong.join('; ')}.`] : []),
    '',
    `Goal: the fewest requests the limits allow: ${verdict(allMinimal)}.`,
  ];
}
