/**
 * What activate() answers: for the extension-host tests, and any extension that
 * depends on this one.
 */
import type { ConfigStore } from './config/configStore';
import type { DeviceTreeProvider } from './devices/deviceTree';
import type { GatewaysTreeProvider } from './devices/gatewaysTree';
import type { GatewayAttacher } from './gateway/attachGateway';
import type { GatewayRegistry } from './gateway/gatewayRegistry';
import type { GatewayConnection } from './gateway/gatewayConnection';
import type { ProxyTreeProvider } from './proxies/proxyTree';
import type { ProxiesViewNode } from './proxies/proxyTreeItems';
import type { GatewayGroupedTree } from './ui/gatewayGroupedTree';
import type { RegistersPanels } from './registers/activate';
import type { TagWatchPanels } from './tagWatch/activate';

export interface BifrostApi {
  /** The local gateway's devices. */
  readonly deviceTree: DeviceTreeProvider;
  /** The Devices view: with gateways attached, one node per gateway and its devices under it. */
  readonly devicesTree: GatewaysTreeProvider;
  /** Every gateway of the window: the local one and the attached ones. */
  readonly gateways: GatewayRegistry;
  /** Attach Gateway's state: what a reload attaches again (restore). */
  readonly attacher: GatewayAttacher;
  /** The local gateway. */
  readonly gateway: GatewayConnection;
  readonly configStore: ConfigStore;
  /** The open Tag Watch panels. */
  readonly tagWatch: TagWatchPanels;
  /** The local gateway's proxies: the model and its tree. */
  readonly proxies: ProxyTreeProvider;
  /** The Proxies view: with gateways attached, one node per gateway and its proxies under it. */
  readonly proxiesTree: GatewayGroupedTree<ProxiesViewNode, ProxyTreeProvider>;
  /** The open Registers panels. */
  readonly registers: RegistersPanels;
}
