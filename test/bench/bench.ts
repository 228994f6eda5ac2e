/**
 * The bench itself (bundled and started by run.ts): Bifrost's engine against
 * modbus-serial, measured side by side in one run, against the same servers.
 * Returns markdown ready for the README's Performance section.
 *
 * Only ratios from one run mean anything: the machine is shared and noisy, so
 * absolute figures move from run to run.
 */
import os from 'node:os';
import { connectBifrost, connectModbusSerial } from './clients';
import { latencySection } from './latencySection';
import { proxySection } from './proxySection';
import { coalesceLines } from './proxyCoalesce';
import { floodLines } from './proxyFlood';
import { fleetSection } from './fleetSection';
import { mqttSection } from './mqttSection';
import { proxyTurnaroundLines } from './proxyTurnaround';
import { usePrograms, type Programs } from './programs';
import { rtuSection } from './rtuSection';
import { scanSection } from './scanSection';
import { startFastServer, startSimulatorServer } from './servers';

export { stopAllChildren } from './children';

/** The sections `npm run bench -- --only a,b` can pick; all by default. */
export const SECTIONS = ['latency', 'scan', 'proxy', 'fleet', 'rtu', 'mqtt'] as const;
export type Section = (typeof SECTIONS)[number];

export async function runBench(programs: Programs, progress: (message: string) => void, only: readonly Section[] = SECTIONS): Promise<string> {
  usePrograms(programs);
  const wanted = (section: Section) => only.includes(section);
  const startedAt = Date.now();
  const cpu = os.cpus();
  const out: string[] = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ` +
      `${os.platform()} ${os.release()}, Node ${process.version}; the gateway code bundled as shipped. ` +
      'Every figure comes from this one run, on loopback, each server in its own process. The machine is shared and ' +
      'noisy: compare the ratios within a run, not absolute figures across runs. ' +
      `Load average at the start: ${os.loadavg().map((load) => load.toFixed(1)).join(', ')} (1, 5, 15 min) on ${cpu.length} cores.`,
    '',
  ];

  progress('starting the bench responder and the Bifrost simulator');
  const fast = await startFastServer();
  const simulator = await startSimulatorServer();
  try {
    if (wanted('latency')) {
      progress('1/3 single-request latency');
      out.push(...(await latencySection([fast, simulator], { connectBifrost, connectModbusSerial })), '');
    }
    if (wanted('scan')) {
      progress('2/3 planned scan against a naive loop');
      out.push(...(await scanSection(fast, { connectBifrost, connectModbusSerial })), '');
    }
    if (wanted('proxy')) {
      progress('proxy: direct against through a Bifrost proxy');
      out.push(...(await proxySection(fast)), '');
      out.push(...(await floodLines(fast)), '');
      out.push(...(await proxyTurnaroundLines()), '');
      out.push(...(await coalesceLines()), '');
    }
  } finally {
    fast.stop();
    simulator.stop();
  }
  if (wanted('fleet')) {
    progress('many devices, one gateway');
    out.push(...(await fleetSection(progress)), '');
  }
  if (wanted('rtu')) {
    progress('3/3 RTU over a pseudo-terminal');
    out.push(...(await rtuSection(progress)), '');
  }
  if (wanted('mqtt')) {
    progress('MQTT publishing');
    out.push(...(await mqttSection(progress)), '');
  }
  out.push(`Bench time: ${((Date.now() - startedAt) / 1000).toFixed(1)} s. Load average at the end: ${os.loadavg().map((load) => load.toFixed(1)).join(', ')}.`);
  return out.join('\n');
}
