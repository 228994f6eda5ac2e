/**
 * Proxies come back after the gateway does. A proxy started from the palette (not
 * `autoStart`) lives in the gateway process; when that process dies and the
 * supervisor starts a new one, the SCADA and HMI clients behind the proxy would find
 * its port closed for good. So the proxies running when the connection went away are
 * started again once the new gateway has the config applied. A proxy the user
 * stopped was not running then, so it stays stopped.
 */
import type { ChannelClient } from '../gateway/channelClient';
import type { Services } from '../services';
import { errorMessage } from '../util/logger';

export class ProxyResume {
  private toResume: string[] = [];

  constructor(private readonly services: Pick<Services, 'proxies' | 'configStore' | 'log'>) {}

  /** The connection went away: remember what was running. */
  remember(): void {
    const running = this.services.proxies.model.all().filter((proxy) => proxy.state === 'running' || proxy.state === 'starting');
    if (running.length > 0) this.toResume = running.map((proxy) => proxy.name);
  }

  /** A new gateway is connected: once its config is applied, start what was running and is not. */
  async resume(client: ChannelClient): Promise<void> {
    const names = this.toResume;
    this.toResume = [];
    if (names.length === 0) return;
    await this.services.configStore.whenApplied();
    const { proxies } = await client.request('proxy.list', {});
    for (const name of names) {
      const proxy = proxies.find((p) => p.name === name);
      if (!proxy) {
        this.services.log.info(`proxy "${name}" is no longer defined: not started again`);
        continue;
      }
      if (proxy.state === 'running' || proxy.state === 'starting') continue;
      try {
        await client.request('proxy.start', { name });
        this.services.log.info(`proxy "${name}" started again after the gateway restarted`);
      } catch (error) {
        this.services.log.error(`proxy "${name}" could not be started again after the gateway restarted: ${errorMessage(error)}`);
      }
    }
    await this.services.proxies.reload();
  }
}
