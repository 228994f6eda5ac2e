/**
 * `bifrost-gateway ports`: the serial ports this machine has, as the extension's port
 * picker shows them, for an edge box without VS Code ("which one is my adapter?").
 * Works without udev. `--json` prints the list as the channel's `serial.ports` answers it.
 */
import { listSerialPorts } from '../transport/serialPorts';
import { parseFlags } from './args';
import { PORTS_HELP } from './help';
import { stderrLogger } from './stderrLogger';

const FLAGS = {
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function portsCommand(args: readonly string[]): Promise<void> {
  const flags = parseFlags('ports', args, FLAGS);
  if (flags.help) {
    process.stdout.write(PORTS_HELP);
    return;
  }
  const logger = stderrLogger(flags.verbose ? 'debug' : 'info');
  const ports = await listSerialPorts({ logger });
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ ports })}\n`);
    return;
  }
  if (ports.length === 0) {
    process.stdout.write('No serial port found. A port that is not listed (a socat pseudo-terminal, say) can still be given by path.\n');
    return;
  }
  const rows = ports.map((port) => [
    port.path,
    port.stablePath ?? '',
    port.manufacturer ?? '',
    port.serialNumber ?? '',
    port.vendorId && port.productId ? `${port.vendorId}:${port.productId}` : '',
  ]);
  process.stdout.write(formatTable(['PORT', 'STABLE PATH', 'MANUFACTURER', 'SERIAL', 'USB ID'], rows));
}

function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
