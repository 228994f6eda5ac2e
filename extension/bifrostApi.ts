/**
 * What activate() answers: for the extension-host tests, and any extension that
 * depends on this one.
 */
import type { ConfigStore } from './config/configStore';
import type { DeviceTreeProvider } from './devices/deviceTree';
import type { GatewayConnection } from './gateway/gatewayConnection';
import type { ProxyTreeProvider } from './proxies/proxyTree';
import type { RegistersPanels } from './registers/activate';
import type { TagWatchPanels } from './tagWatch/activate';

export interface BifrostApi {
  readonly deviceTree: DeviceTreeProvider;
  /** The local gateway. */
  readonly gateway: GatewayConnection;
  readonly configStore: ConfigStore;
  /** The open Tag Watch panels. */
  readonly tagWatch: TagWatchPanels;
  /** The Proxies view's model and provider. */
  readonly proxies: ProxyTreeProvider;
  /** The open Registers panels. */
  readonly registers: RegistersPanels;
}
