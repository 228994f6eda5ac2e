export { GatewayMetrics } from './gatewayMetrics';
export { startMetricsServer, MetricsListenError, type MetricsServer } from './metricsServer';
export { ReadinessTracker, type Readiness } from './readiness';
