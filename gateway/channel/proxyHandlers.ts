/**
 * The proxy methods (api/proxies.ts) against the ProxyManager, and its events as
 * channel events. An unknown name is "unknown_proxy"; a port that cannot be bound is
 * "listen_failed" with a message naming host:port.
 */
import type { ProxyInfo } from '../api/proxies';
import { ProxyListenError, UnknownProxyError, type ProxyManager } from '../proxy';
import type { MethodHandlers } from './dispatcher';
import { ChannelRequestError } from './requestError';
import type { ChannelServer } from './server';

type ProxyHandlers = Pick<MethodHandlers, 'proxy.start' | 'proxy.stop' | 'proxy.stopAll' | 'proxy.list'>;

export function createProxyHandlers(proxies: ProxyManager): ProxyHandlers {
  return {
    'proxy.start': (params) => translate(() => proxies.start(params.name)),
    'proxy.stop': (params) => translate(() => proxies.stop(params.name)),
    'proxy.stopAll': async () => ({ stopped: await proxies.stopAll() }),
    'proxy.list': () => ({ proxies: proxies.list() }),
  };
}

export function bridgeProxiesToChannel(proxies: ProxyManager, server: Pick<ChannelServer, 'broadcast'>): () => void {
  const onStatus = (info: ProxyInfo) => server.broadcast('proxy.status', info);
  const onStats = (infos: ProxyInfo[]) => server.broadcast('proxy.stats', { proxies: infos });
  proxies.on('status', onStatus);
  proxies.on('stats', onStats);
  return () => {
    proxies.off('status', onStatus);
    proxies.off('stats', onStats);
  };
}

async function translate<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof UnknownProxyError) throw new ChannelRequestError('unknown_proxy', error.message);
    if (error instanceof ProxyListenError) throw new ChannelRequestError('listen_failed', error.message);
    throw error;
  }
}
