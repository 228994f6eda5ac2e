/** The discovery room: Discover Devices…, and the Discovered section's Add Device and Clear. */
import type { BifrostContext } from '../bifrostContext';
import { addDiscovered, discoverDevices, DISCOVERY_COMMANDS } from './discoverCommands';

export function activate(ctx: BifrostContext): void {
  ctx.registerGatewayCommand(DISCOVERY_COMMANDS.discover, (gw, arg) => discoverDevices(ctx, gw, arg));
  ctx.registerCommand(DISCOVERY_COMMANDS.addDiscovered, (arg, selection) => addDiscovered(ctx, arg, selection));
  ctx.registerCommand(DISCOVERY_COMMANDS.clearDiscovered, () => ctx.deviceTree.discovered.clear());
}
