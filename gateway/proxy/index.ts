export { ModbusProxy, type ProxyUpstream } from './modbusProxy';
export { ProxyManager, type ProxyHost, PROXY_STATS_INTERVAL_MS } from './proxyManager';
export { ProxyListenError, UnknownProxyError } from './errors';
