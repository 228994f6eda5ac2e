/**
 * The HTTP side of the metrics: GET /metrics (Prometheus text), /healthz (the
 * process answers) and /readyz (configuration applied, every enabled device tried
 * once). Read-only: any other method gets 405, any other path 404.
 */
import http from 'node:http';
import type { MetricsListen } from '../api/metricsConfig';
import { describeListenError } from '../transport/listenError';
import type { GatewayMetrics } from './gatewayMetrics';

/** The metrics server could not bind: the message says where and why. */
export class MetricsListenError extends Error {
  readonly code = 'metrics_listen';

  constructor(message: string) {
    super(`metrics: ${message}`);
    this.name = 'MetricsListenError';
  }
}

export interface MetricsServer {
  /** Where it listens (a configured port 0 becomes the real one). */
  address: { host: string; port: number };
  close(): Promise<void>;
}

export async function startMetricsServer(metrics: GatewayMetrics, listen: MetricsListen): Promise<MetricsServer> {
  const server = http.createServer((request, response) => {
    void answer(metrics, request, response);
  });
  // A scraper that opens and never sends must not hold a socket forever.
  server.requestTimeout = 10_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new MetricsListenError(describeListenError(error, listen.host, listen.port))));
    server.listen(listen.port, listen.host, () => resolve());
  });
  const bound = server.address();
  const port = typeof bound === 'object' && bound ? bound.port : listen.port;
  return {
    address: { host: listen.host, port },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function answer(metrics: GatewayMetrics, request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  const send = (status: number, body: string, contentType = 'text/plain; charset=utf-8', headers: Record<string, string> = {}) => {
    response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store', ...headers });
    response.end(request.method === 'HEAD' ? undefined : body);
  };
  if (!['/metrics', '/healthz', '/readyz'].includes(path)) return send(404, `no ${path} here: try /metrics, /healthz or /readyz\n`);
  if (request.method !== 'GET' && request.method !== 'HEAD') return send(405, `${request.method} is not served; use GET\n`, undefined, { allow: 'GET, HEAD' });
  try {
    if (path === '/healthz') return send(200, 'ok\n');
    if (path === '/readyz') {
      const readiness = metrics.ready();
      return readiness.ready ? send(200, 'ready\n') : send(503, `not ready: ${readiness.why}\n`);
    }
    const { contentType, body } = await metrics.text();
    send(200, body, contentType);
  } catch (error) {
    send(500, `metrics failed: ${(error as Error).message}\n`);
  }
}
