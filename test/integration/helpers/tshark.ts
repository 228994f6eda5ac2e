/** tshark (Wireshark's dissectors) as the judge of what the gateway writes and captures. */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export function requireTshark(): void {
  try {
    execFileSync('which', ['tshark']);
  } catch {
    throw new Error('tshark is not installed: this test checks the pcap export against it ("apt-get install tshark").');
  }
}

/** tshark's fields per packet, tab-separated, one row per frame; IP and TCP checksums verified. */
export async function tsharkFields(file: string, fields: string[], extra: string[] = []): Promise<string[][]> {
  const args = ['-r', file, '-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', ...extra, '-T', 'fields'];
  for (const field of fields) args.push('-e', field);
  const { stdout } = await run('tshark', args, { maxBuffer: 64 * 1024 * 1024 });
  return stdout.trim().split('\n').filter(Boolean).map((line) => line.split('\t'));
}

/**
 * Read RTU on port 4001 (the README's "Decode As" rule) and have Wireshark check
 * each frame's CRC itself: mbrtu.crc16.status is then 1 (good) or 0 (bad), not 2
 * (unverified, its default).
 */
export function rtuDecodeArgs(port: number): string[] {
  return ['-d', `tcp.port==${port},mbrtu`, '-o', 'mbrtu.crc_verification:TRUE'];
}
