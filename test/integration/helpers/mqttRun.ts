/** `bifrost-gateway run` with a config of the test's own, for the MQTT tests. */
import fs from 'node:fs';
import path from 'node:path';
import type { BifrostConfigInput } from '../../../gateway/api/config';
import { start, type Child } from './childProcess';
import { GATEWAY_JS } from './tools';
import { until } from './wait';
import { tempDir } from './tempDir';

export function writeConfig(config: BifrostConfigInput | Record<string, unknown>): string {
  const dir = tempDir('bifrost-mqtt-');
  const file = path.join(dir, 'bifrost.json');
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/** `gatewayJs`: dist/gateway.js by default, or the gateway of the unpacked .vsix (installedGateway.ts). */
export function runGateway(config: BifrostConfigInput, extraArgs: string[] = [], env?: NodeJS.ProcessEnv, gatewayJs = GATEWAY_JS): Child {
  return start(process.execPath, [gatewayJs, 'run', '--config', writeConfig(config), ...extraArgs], env);
}

/** Wait for a stderr line of `child` matching `pattern`; returns it. */
export async function logLine(child: Child, pattern: RegExp, timeoutMs = 15_000): Promise<string> {
  await until(() => child.stderr.some((line) => pattern.test(line)), timeoutMs, `a log line matching ${pattern}; stderr so far:\n${child.stderr.join('\n')}`);
  return child.stderr.find((line) => pattern.test(line))!;
}
