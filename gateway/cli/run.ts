/** `bifrost-gateway run --config bifrost.json`: every device and every proxy of a config, headless. */
import { RUN_HELP } from './help';
import { parseFlags } from './args';
import { runHeadless } from './headless';
import { loadConfig } from './loadConfig';
import { stderrLogger } from './stderrLogger';
import { UsageError } from './usageError';

const FLAGS = {
  config: { type: 'string' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function run(args: readonly string[]): Promise<void> {
  const flags = parseFlags('run', args, FLAGS);
  if (flags.help) {
    process.stdout.write(RUN_HELP);
    return;
  }
  if (flags.config === undefined) throw new UsageError('--config FILE is required', 'run');
  const config = loadConfig(flags.config);
  const logger = stderrLogger(flags.verbose ? 'debug' : 'info');
  const { proxies } = await runHeadless(config, logger);
  for (const info of proxies.list()) {
    process.stdout.write(`proxy ${info.name} listening on ${info.listen.host}:${info.listen.port} → ${info.device}\n`);
  }
  logger.log('info', `running ${config.devices.length} device(s) and ${config.proxies.length} prox${config.proxies.length === 1 ? 'y' : 'ies'} from ${flags.config}`);
}
