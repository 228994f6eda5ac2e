/**
 * The gateway room's part of activation: Restart Gateway and Show Log, the
 * `bifrost.gatewayState` when-clause key, a restart when the gateway's settings
 * change, and Attach Gateway… / Detach Gateway for gateways elsewhere (those attached
 * before are attached again once every room follows connections).
 */
import * as vscode from 'vscode';
import { RESTART_GATEWAY_COMMAND, SHOW_LOG_COMMAND, type BifrostContext } from '../bifrostContext';
import { errorMessage } from '../util/logger';
import { setContext } from '../util/whenContext';
import { AttachedGatewayStore } from './attachedGateways';
import { ATTACH_GATEWAY_COMMAND, DETACH_GATEWAY_COMMAND, GatewayAttacher } from './attachGateway';

const GATEWAY_STATE_CONTEXT = 'bifrost.gatewayState';

/** Returns what re-attaches the gateways of an earlier session: call it once every room is active. */
export function activate(ctx: BifrostContext, clientName: string): GatewayAttacher {
  const { gateway, log } = ctx;
  ctx.registerCommand(RESTART_GATEWAY_COMMAND, () => gateway.restart());
  ctx.registerCommand(SHOW_LOG_COMMAND, () => log.show());
  ctx.own(gateway.onDidChangeState((state) => setContext(GATEWAY_STATE_CONTEXT, state, log)));
  ctx.own(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration('bifrost.gateway')) return;
      log.info('gateway settings changed; restarting the gateway');
      gateway.restart().catch((error: unknown) => log.error(`restart failed: ${errorMessage(error)}`));
    }),
  );
  const attacher = ctx.own(new GatewayAttacher(ctx, new AttachedGatewayStore(ctx.globalState, ctx.secrets), clientName));
  ctx.registerCommand(ATTACH_GATEWAY_COMMAND, (arg) => attacher.attach(arg));
  ctx.registerCommand(DETACH_GATEWAY_COMMAND, (arg) => attacher.detach(arg));
  return attacher;
}
