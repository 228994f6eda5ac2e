/**
 * The Devices view's provider: the local gateway's devices, and once a gateway is
 * attached, every gateway as a top-level node with its devices and tags under it
 * (GatewayGroupedTree); each attached gateway's devices in a DeviceTreeProvider of
 * its own.
 */
import type { GatewayConnection } from '../gateway/gatewayConnection';
import type { GatewayRegistry } from '../gateway/gatewayRegistry';
import { GatewayGroupedTree } from '../ui/gatewayGroupedTree';
import type { Logger } from '../util/logger';
import { DeviceTreeProvider } from './deviceTree';
import { gatewayTreeItem } from '../ui/gatewayTreeItem';
import type { DevicesViewNode } from './treeItems';

export type GatewaysTreeProvider = GatewayGroupedTree<DevicesViewNode, DeviceTreeProvider>;

export function createGatewaysTree(gateways: GatewayRegistry, local: DeviceTreeProvider, logger: Logger): GatewaysTreeProvider {
  return new GatewayGroupedTree(gateways, local, {
    treeFor: (gateway) => new DeviceTreeProvider(logger, gateway.id),
    gatewayItem: (gateway, isLocal) => gatewayTreeItem(gateway, isLocal, configFileOf(gateway)),
  });
}

/** The bifrost.json an attached gateway runs, as it said in hello. */
function configFileOf(gateway: GatewayConnection): string | undefined {
  return 'configFile' in gateway && typeof gateway.configFile === 'string' ? gateway.configFile : undefined;
}
