/**
 * The gateway room's part of activation: Restart Gateway and Show Log, the
 * `bifrost.gatewayState` when-clause key, and a restart when the gateway's settings
 * change. The local gateway starts here, once every room follows its connection.
 */
import * as vscode from 'vscode';
import { RESTART_GATEWAY_COMMAND, SHOW_LOG_COMMAND, type BifrostContext } from '../bifrostContext';
import { errorMessage } from '../util/logger';
import { setContext } from '../util/whenContext';

const GATEWAY_STATE_CONTEXT = 'bifrost.gatewayState';

export function activate(ctx: BifrostContext): void {
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
}
