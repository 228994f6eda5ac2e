/**
 * Metrics whose values are read when Prometheus scrapes (device states, tag values,
 * a proxy's own counters): each scrape replaces every sample, so a device or proxy
 * that went away leaves no stale series behind.
 */
import { Counter, Gauge, type Registry } from 'prom-client';

export type Labels = Record<string, string>;
export type Samples = () => Iterable<[labels: Labels, value: number]>;

interface ScrapedMetric {
  name: string;
  help: string;
  labelNames: string[];
}

export function scrapedGauge(registry: Registry, metric: ScrapedMetric, samples: Samples): void {
  const gauge: Gauge = new Gauge({
    ...metric,
    registers: [registry],
    collect: () => {
      gauge.reset();
      for (const [labels, value] of samples()) gauge.set(labels, value);
    },
  });
}

/** A counter kept elsewhere (a proxy counts for itself); a restarted source starts from 0, which Prometheus reads as a reset. */
export function scrapedCounter(registry: Registry, metric: ScrapedMetric, samples: Samples): void {
  const counter: Counter = new Counter({
    ...metric,
    registers: [registry],
    collect: () => {
      counter.reset();
      for (const [labels, value] of samples()) counter.inc(labels, value);
    },
  });
}
