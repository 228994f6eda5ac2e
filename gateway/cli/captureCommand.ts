/**
 * `bifrost-gateway capture --config bifrost.json --pcap trace.pcapng`: runs a
 * configuration headless, as `run` does, and records every frame to pcapng files
 * (the packets of the Frame Debugger's pcap export), for a session longer than the
 * capture ring remembers: overnight, on an edge box, with no editor open.
 */
import path from 'node:path';
import { parseFlags } from './args';
import { CAPTURE_HELP } from './help';
import { runHeadless } from './headless';
import { loadConfig } from './loadConfig';
import { RecordingRefusedError } from '../capture/recorder';
import type { RecordingStatus } from '../api/capture';
import { stderrLogger } from './stderrLogger';
import { StartupError } from './startupError';
import { UsageError } from './usageError';

const FLAGS = {
  config: { type: 'string' },
  pcap: { type: 'string' },
  seconds: { type: 'string' },
  'rotate-mb': { type: 'string' },
  keep: { type: 'string' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function captureCommand(args: readonly string[]): Promise<void> {
  const flags = parseFlags('capture', args, FLAGS);
  if (flags.help) {
    process.stdout.write(CAPTURE_HELP);
    return;
  }
  if (flags.config === undefined) throw new UsageError('--config FILE is required', 'capture');
  if (flags.pcap === undefined) throw new UsageError('--pcap FILE is required: where to record', 'capture');
  const seconds = flags.seconds === undefined ? undefined : positive(flags.seconds, '--seconds', 7 * 24 * 3600);
  const rotateMb = flags['rotate-mb'] === undefined ? undefined : positive(flags['rotate-mb'], '--rotate-mb', 100_000);
  const keep = flags.keep === undefined ? undefined : positive(flags.keep, '--keep', 100_000, true);
  if (keep !== undefined && rotateMb === undefined) throw new UsageError('--keep bounds the files of a rotation: give --rotate-mb too', 'capture');
  const config = loadConfig(flags.config);
  const logger = stderrLogger(flags.verbose ? 'debug' : 'info');
  const recording = { path: path.resolve(flags.pcap), ...(rotateMb === undefined ? {} : { rotateMb }), ...(keep === undefined ? {} : { keep }) };

  const { stop } = await runHeadless(config, logger, {
    beforeApply: (engine) => {
      try {
        engine.recorder.start(recording);
      } catch (error) {
        if (error instanceof RecordingRefusedError) throw new StartupError(error.message);
        throw error;
      }
    },
    afterClose: (engine) => process.stdout.write(`${summary(engine.recorder.status())}\n`),
  });
  process.stdout.write(`recording ${config.devices.length} device(s) to ${recording.path}${seconds === undefined ? '' : ` for ${seconds} s`}\n`);
  if (seconds !== undefined) setTimeout(() => stop(`${seconds} s recorded`), seconds * 1000);
}

function summary(status: RecordingStatus): string {
  const files = status.files.length === 1 ? status.files[0] : `${status.filesWritten} files (kept: ${status.files.join(', ')})`;
  const failed = status.error ? ` — ${status.error}` : '';
  return `recorded ${status.frames} frames, ${status.bytes} bytes to ${files}${failed}`;
}

function positive(text: string, flag: string, maximum: number, integer = false): number {
  const value = Number(text);
  const pattern = integer ? /^\d+$/ : /^\d+(\.\d+)?$/;
  if (!pattern.test(text) || value <= 0 || value > maximum) {
    throw new UsageError(`${flag} takes ${integer ? 'a whole number' : 'a number'} above 0 and at most ${maximum}, not "${text}"`, 'capture');
  }
  return value;
}
