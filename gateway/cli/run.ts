/**
 * `bifrost-gateway run --config bifrost.json [--metrics 127.0.0.1:9464]`: every device
 * and every proxy of a config, headless; with --metrics (or "metrics" in the config),
 * Prometheus metrics, /healthz and /readyz over HTTP; with --serve, the channel an
 * editor attaches to (runChannel.ts).
 */
import type { MetricsListen } from '../api/metricsConfig';
import type { GatewayMetrics, MetricsServer } from '../metrics';
import type { MqttPublisher } from '../mqtt';
import { CHANNEL_SECURITY_FLAGS } from './channelSecurity';
import { RUN_HELP } from './help';
import { parseFlags, parseHostPort } from './args';
import { runHeadless } from './headless';
import { loadConfig } from './loadConfig';
import { StartupError } from './startupError';
import type { OpenChannel } from './openChannel';
import { runChannel } from './runChannel';
import { fanOutLogger, stderrLogger } from './stderrLogger';
import { isLoopbackHost } from '../transport/loopback';
import { UsageError } from './usageError';
import { GATEWAY_VERSION } from './version';

const FLAGS = {
  config: { type: 'string' },
  metrics: { type: 'string' },
  serve: { type: 'string' },
  ...CHANNEL_SECURITY_FLAGS,
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
  const metricsListen: MetricsListen | undefined = flags.metrics === undefined ? undefined : parseHostPort(flags.metrics, '--metrics', 'run');
  const logger = fanOutLogger(stderrLogger(flags.verbose ? 'debug' : 'info'));
  const startChannel = runChannel({ ...flags, config: flags.config }, logger);
  const config = loadConfig(flags.config);
  const listen = metricsListen ?? config.metrics?.listen;
  let metrics: GatewayMetrics | undefined;
  let server: MetricsServer | undefined;
  let mqtt: MqttPublisher | undefined;
  let channel: OpenChannel | undefined;

  const { proxies } = await runHeadless(config, logger, {
    beforeApply: async (engine, proxyManager) => {
      if (startChannel) channel = await startChannel(engine, proxyManager);
      if (config.mqtt) {
        // Loaded only when asked for: the MQTT client, protobuf and Sparkplug cost every
        // other gateway (the editor's own among them) memory and start-up time for nothing.
        const { MqttSetupError, startMqttPublisher } = await import('../mqtt');
        try {
          mqtt = startMqttPublisher(config.mqtt, engine, logger);
        } catch (error) {
          if (error instanceof MqttSetupError) throw new StartupError(error.message);
          throw error;
        }
      }
      if (!listen) return;
      // prom-client likewise, only for a gateway that serves metrics.
      const { GatewayMetrics, MetricsListenError, startMetricsServer } = await import('../metrics');
      metrics = new GatewayMetrics(engine, proxyManager, GATEWAY_VERSION);
      if (mqtt) metrics.watchMqtt(mqtt.stats);
      const started = mqtt;
      try {
        server = await startMetricsServer(metrics, listen);
      } catch (error) {
        await started?.close();
        if (error instanceof MetricsListenError) throw new StartupError(error.message);
        throw error;
      }
      if (!isLoopbackHost(listen.host)) logger.log('warn', `metrics served on ${listen.host}, beyond this machine: they name every device, endpoint and tag`);
      // On stdout, so a script that asked for port 0 can read which port it got.
      process.stdout.write(`metrics on http://${hostForUrl(server.address.host)}:${server.address.port}/metrics\n`);
    },
    beforeClose: async () => {
      await channel?.close();
      await mqtt?.close();
      await server?.close();
    },
  });
  metrics?.configLoaded();
  for (const info of proxies.list()) {
    process.stdout.write(`proxy ${info.name} listening on ${info.listen.host}:${info.listen.port} → ${info.device}\n`);
  }
  logger.log('info', `running ${config.devices.length} device(s) and ${config.proxies.length} prox${config.proxies.length === 1 ? 'y' : 'ies'} from ${flags.config}`);
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
