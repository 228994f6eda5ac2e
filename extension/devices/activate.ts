/**
 * The devices room: the Devices view following the gateway, the line above it that
 * says why the user sees what they see, the status bar item, and the commands on
 * devices (add, remove, connect, disconnect, read now).
 */
import type { BifrostContext } from '../bifrostContext';
import { CONFIG_FILE_NAME, type ConfigStatus } from '../config/configStore';
import type { GatewayState } from '../gateway/gatewayConnection';
import { addDevice } from './addDevice';
import { connectDevice, disconnectDevice, refreshAll, refreshDevice, removeDevice } from './deviceCommands';
import { GatewayStatusBar } from './gatewayStatusBar';

export const DEVICE_COMMANDS = {
  addDevice: 'bifrost.addDevice',
  removeDevice: 'bifrost.removeDevice',
  connect: 'bifrost.connect',
  disconnect: 'bifrost.disconnect',
  refresh: 'bifrost.refresh',
  refreshAll: 'bifrost.refreshAll',
} as const;

export function activate(ctx: BifrostContext): void {
  const { deviceTree, gateway, configStore } = ctx;
  ctx.own(
    ctx.onConnection((client, scope, gateway) => {
      // Each gateway's devices in its own tree: the local one's, or an attached one's.
      const tree = ctx.devicesTree.treeOf(gateway.id);
      if (!tree) return;
      tree.attach(client);
      scope.add({
        dispose: () => {
          tree.detach();
          // An attached gateway out of reach shows no devices rather than their last, stale states; its node says why.
          if (gateway !== ctx.gateway) tree.clear();
        },
      });
    }),
  );
  ctx.own(
    gateway.onDidChangeState((state) => {
      // A stopped gateway's devices are unknown; an empty tree shows the welcome
      // view's Restart button. While restarting the last state stays visible.
      if (state === 'stopped') deviceTree.clear();
      updateMessage(ctx);
    }),
  );
  ctx.own(configStore.onDidChange(() => updateMessage(ctx)));
  ctx.own(deviceTree.onDidChangeDevices(() => updateMessage(ctx)));
  ctx.own(new GatewayStatusBar(gateway, deviceTree));

  ctx.registerCommand(DEVICE_COMMANDS.addDevice, (arg) => addDevice(ctx, arg));
  ctx.registerCommand(DEVICE_COMMANDS.removeDevice, (arg) => removeDevice(ctx, arg));
  ctx.registerGatewayCommand(DEVICE_COMMANDS.connect, (gw, arg) => connectDevice(ctx, gw, arg));
  ctx.registerGatewayCommand(DEVICE_COMMANDS.disconnect, (gw, arg) => disconnectDevice(ctx, gw, arg));
  ctx.registerGatewayCommand(DEVICE_COMMANDS.refresh, (gw, arg) => refreshDevice(ctx, gw, arg));
  ctx.registerGatewayCommand(DEVICE_COMMANDS.refreshAll, (gw) => refreshAll(ctx, gw));
}

/**
 * The line above the tree: why the user sees the devices they see. Only over a
 * non-empty tree: a message hides the welcome content, which explains an empty one.
 */
function updateMessage({ devicesView, configStore, gateway, deviceTree }: BifrostContext): void {
  devicesView.message = devicesMessage(deviceTree.model.size, gateway.state, configStore.status.kind);
}

function devicesMessage(devices: number, state: GatewayState, config: ConfigStatus['kind']): string | undefined {
  if (devices === 0) return undefined;
  if (state === 'restarting') return 'The gateway stopped unexpectedly and is restarting…';
  if (config === 'invalid') return `${CONFIG_FILE_NAME} has errors (see Problems); the last valid configuration keeps running.`;
  if (config === 'missing') return `The built-in Demo device is shown. Create ${CONFIG_FILE_NAME} to add your own devices.`;
  if (config === 'noWorkspace') return 'The built-in Demo device is shown. Open a folder to add your own devices.';
  return undefined;
}
