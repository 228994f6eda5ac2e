/**
 * `bifrost-gateway`: bundled to dist/gateway.js. The extension runs `serve`;
 * people run `serve` headless or `simulate` for a device to play with.
 */
import { captureCommand } from './captureCommand';
import { CommandFailedError } from './commandFailed';
import { MAIN_HELP } from './help';
import { portsCommand } from './portsCommand';
import { proxyCommand } from './proxyCommand';
import { readCommand } from './readCommand';
import { scanCommand } from './scanCommand';
import { run } from './run';
import { serve } from './serve';
import { simulate } from './simulate';
import { StartupError } from './startupError';
import { UsageError } from './usageError';
import { validateCommand } from './validateCommand';
import { GATEWAY_VERSION } from './version';
import { writeCommand } from './writeCommand';

async function main(argv: readonly string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return serve(rest);
    case 'simulate':
      return simulate(rest);
    case 'run':
      return run(rest);
    case 'proxy':
      return proxyCommand(rest);
    case 'capture':
      return captureCommand(rest);
    case 'ports':
      return portsCommand(rest);
    case 'read':
      return readCommand(rest);
    case 'write':
      return writeCommand(rest);
    case 'scan':
      return scanCommand(rest);
    case 'validate':
      return validateCommand(rest);
    case undefined:
    case 'help':
    case '-h':
    case '--help':
      process.stdout.write(MAIN_HELP);
      return;
    case '-v':
    case '--version':
      process.stdout.write(`${GATEWAY_VERSION}\n`);
      return;
    default:
      throw new UsageError(`unknown command "${command}": expected read, write, scan, validate, serve, run, proxy, capture, simulate or ports`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    const help = error.command ? `bifrost-gateway ${error.command} --help` : 'bifrost-gateway --help';
    process.stderr.write(`bifrost-gateway: ${error.message}\nRun "${help}" for usage.\n`);
    process.exit(2);
  }
  if (error instanceof CommandFailedError) {
    if (error.json) process.stdout.write(`${JSON.stringify({ error: { message: error.message, ...error.details } })}\n`);
    process.stderr.write(`bifrost-gateway: ${error.message}\n`);
    process.exit(1);
  }
  if (error instanceof StartupError) {
    process.stderr.write(`bifrost-gateway: ${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`bifrost-gateway: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
