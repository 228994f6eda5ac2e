/**
 * `"metrics"` in bifrost.json: where a headless gateway (`bifrost-gateway run`)
 * serves Prometheus metrics, /healthz and /readyz. Loopback unless told: the
 * metrics name every device, endpoint and tag.
 */
import { z } from 'zod';
import { hostName } from './hostName';
import { intIn } from './plainIssues';

export const DEFAULT_METRICS_HOST = '127.0.0.1';
/** The port OpenTelemetry's Prometheus exporter uses too; rarely taken by anything else. */
export const DEFAULT_METRICS_PORT = 9464;

export const MetricsListen = z
  .object({
    host: hostName().default(DEFAULT_METRICS_HOST).describe('Address to bind; 127.0.0.1 keeps the metrics on this machine'),
    port: intIn(0, 65535).default(DEFAULT_METRICS_PORT).describe('TCP port Prometheus scrapes (0 picks a free one)'),
  })
  .strict();
export type MetricsListen = z.infer<typeof MetricsListen>;

export const MetricsConfig = z
  .object({
    listen: MetricsListen.default({ host: DEFAULT_METRICS_HOST, port: DEFAULT_METRICS_PORT }),
  })
  .strict()
  .describe('Serve Prometheus metrics (/metrics), /healthz and /readyz when run headless (bifrost-gateway run)');
export type MetricsConfig = z.infer<typeof MetricsConfig>;
