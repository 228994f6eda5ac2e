/**
 * The config room: `bifrost.json` read, watched and applied to each gateway
 * connection, and Bifrost: Create bifrost.json.
 */
import type { BifrostContext } from '../bifrostContext';
import { errorMessage } from '../util/logger';
import { createConfig } from './configFile';
import { CONFIG_FILE_NAME } from './configStore';

export const CREATE_CONFIG_COMMAND = 'bifrost.createConfig';

export function activate(ctx: BifrostContext): void {
  const { configStore, log } = ctx;
  ctx.own(ctx.onConnection((client, scope) => scope.add(configStore.follow(client))));
  ctx.registerCommand(CREATE_CONFIG_COMMAND, () => createConfig(configStore));
  configStore.reload().catch((error: unknown) => log.error(`reading ${CONFIG_FILE_NAME} failed: ${errorMessage(error)}`));
}
