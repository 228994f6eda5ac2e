/** Per proxy: its own counters and clients read when scraped; the latency histogram from its `answered` events. */
import { Histogram, type Registry } from 'prom-client';
import type { ProxyInfo } from '../api/proxies';
import type { ProxyManager } from '../proxy';
import { DURATION_BUCKETS } from './buckets';
import { scrapedCounter, scrapedGauge, type Labels } from './scraped';

const LABELS = ['proxy', 'device'];

export function registerProxyMetrics(registry: Registry, proxies: ProxyManager): void {
  const each = (value: (info: ProxyInfo) => number) =>
    function* (): Iterable<[Labels, number]> {
      for (const info of proxies.list()) yield [{ proxy: info.name, device: info.device }, value(info)];
    };
  const counter = (name: string, help: string, field: 'requests' | 'errors' | 'exceptions' | 'refused') =>
    scrapedCounter(registry, { name, help, labelNames: LABELS }, each((info) => info.stats[field]));

  counter('bifrost_proxy_requests_total', "Requests received from the proxy's clients", 'requests');
  counter('bifrost_proxy_errors_total', 'Requests the proxy got no device reply for (timeouts, no path, bad frames)', 'errors');
  counter('bifrost_proxy_exceptions_total', 'Exception responses sent to clients, from the device or the proxy', 'exceptions');
  counter('bifrost_proxy_refused_total', 'Requests refused by the function filter (exception 01)', 'refused');
  scrapedGauge(registry, { name: 'bifrost_proxy_up', help: 'Whether the proxy is listening (1) or not (0)', labelNames: LABELS }, each((info) => (info.state === 'running' ? 1 : 0)));
  scrapedGauge(registry, { name: 'bifrost_proxy_clients', help: 'Clients connected to the proxy now', labelNames: LABELS }, each((info) => info.clients.length));

  const latency = new Histogram({
    name: 'bifrost_proxy_request_duration_seconds',
    help: "A client's request, received to answered, queueing included",
    labelNames: ['proxy'],
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  proxies.on('answered', (answer) => latency.observe({ proxy: answer.proxy }, answer.latencyMs / 1000));
}
