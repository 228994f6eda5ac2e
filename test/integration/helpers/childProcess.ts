/**
 * Child processes for the integration tests: the gateway, the simulator, pymodbus.
 * Each is tracked so after-hooks can stop whatever a failed test left running.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import readline from 'node:readline';
import { ReadyLine } from '../../../gateway/api/channel';
import { GATEWAY_JS, SYSTEM_PYTHON } from './tools';
import { within } from './wait';

export interface Child {
  process: ChildProcessWithoutNullStreams;
  /** Every stdout and stderr line so far, for assertions and failure messages. */
  stdout: string[];
  stderr: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolve with the first stdout line matching `pattern`. */
  waitForStdout(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** SIGTERM, then SIGKILL if it does not exit within 3 s. */
  stop(): Promise<void>;
}

const running = new Set<Child>();

export function start(command: string, args: string[], env?: NodeJS.ProcessEnv): Child {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], ...(env ? { env } : {}) });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters: { pattern: RegExp; resolve: (match: RegExpMatchArray) => void }[] = [];
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    stdout.push(line);
    for (const waiter of [...waiters]) {
      const match = line.match(waiter.pattern);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  });
  readline.createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  const handle: Child = {
    process: child,
    stdout,
    stderr,
    exited,
    waitForStdout(pattern, timeoutMs = 10_000) {
      const seen = stdout.map((line) => line.match(pattern)).find((match) => match);
      if (seen) return Promise.resolve(seen);
      const found = new Promise<RegExpMatchArray>((resolve) => waiters.push({ pattern, resolve }));
      const died = exited.then(({ code, signal }) => {
        throw new Error(`${command} ${args.join(' ')} exited (${code ?? signal}) before printing ${pattern}:\n${stderr.join('\n')}`);
      });
      return within(Promise.race([found, died]), timeoutMs, `${pattern} from ${args.join(' ')}\nstderr:\n${stderr.join('\n')}`);
    },
    async stop() {
      running.delete(handle);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
  // Bookkeeping on exit, not awaited: `exited` only resolves.
  void exited.then(() => running.delete(handle));
  running.add(handle);
  return handle;
}

/** Stop every child still running: call from after/afterEach hooks. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((child) => child.stop()));
}

export interface Gateway extends Child {
  ready: ReadyLine['ready'];
}

export async function startGateway(args: string[] = [], env?: NodeJS.ProcessEnv): Promise<Gateway> {
  const child = start(process.execPath, [GATEWAY_JS, 'serve', ...args], env);
  const [line] = await child.waitForStdout(/^.*$/);
  const ready = ReadyLine.parse(JSON.parse(line)).ready;
  return Object.assign(child, { ready });
}

export interface Simulator extends Child {
  port: number;
}

export async function startSimulator(port = 0): Promise<Simulator> {
  const child = start(process.execPath, [GATEWAY_JS, 'simulate', '--listen', `127.0.0.1:${port}`]);
  const match = await child.waitForStdout(/listening on 127\.0\.0\.1:(\d+)/);
  return Object.assign(child, { port: Number(match[1]) });
}

export async function startPymodbus(script: string, port = 0): Promise<Simulator> {
  const child = start(SYSTEM_PYTHON, [script, String(port)]);
  const match = await child.waitForStdout(/listening on 127\.0\.0\.1:(\d+)/, 15_000);
  return Object.assign(child, { port: Number(match[1]) });
}
