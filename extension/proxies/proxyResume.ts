/**
 * Proxies come back after the gateway does. A proxy started from the palette (not
 * `autoStart`) lives in the gateway process; when that process dies and the
 * supervisor starts a new one, the SCADA and HMI clients behind the proxy would find
 * its port closed for good. So the proxies running when the connection went away are
 * started again once the new gateway has the config applied. A proxy the user
 * stopped was not running then, so it stays stopped.
 */
import type { GatewayClient } from '../gateway/gatewayConnection';
import type { BifrostContext } from '../bifrostContext';
import { errorMessage } from '../util/logger';

export class ProxyResume {
  private toResume: string[] = [];

  constructor(private readonly ctx: Pick<BifrostContext, 'proxies' | 'configStore' | 'log'>) {}

  /** The connection went away: remember what was running. */
  remember(): void {
    const running = this.ctx.proxies.model.all().filter((proxy) => proxy.state === 'running' || proxy.state === 'starting');
    if (running.length > 0) this.toResume = running.map((proxy) => proxy.name);
  }

  /** A new gateway is connected: once its config is applied, start what was running and is not. */
  async resume(client: GatewayClient): Promise<void> {
    const names = this.toResume;
    this.toResume = [];
    if (names.length === 0) return;
    await this.ctx.configStore.whenApplied();
    const { proxies } = await client.request('proxy.list', {});
    for (const name of names) {
      const proxy = proxies.find((p) => p.name === name);
      if (!proxy) {
        this.ctx.log.info(`proxy "${name}" is no longer defined: not started again`);
        continue;
      }
      if (proxy.state === 'running' || proxy.state === 'starting') continue;
      try {
        await client.request('proxy.start', { name });
        this.ctx.log.info(`proxy "${name}" started again after the gateway restarted`);
      } catch (error) {
        this.ctx.log.error(`proxy "${name}" could not be started again after the gateway restarted: ${errorMessage(error)}`);
      }
    }
    await this.ctx.proxies.reload();
  }
}
