/**
 * Starting one gateway process and learning where its channel listens.
 *
 * The gateway prints `{"ready":{port,token,pid,version}}` as its first stdout line
 * and logs to stderr. We wait for that line (with a deadline: a process that hangs
 * during startup must not leave the extension "starting" forever), validate it
 * with the contract's ReadyLine, and hand the rest of both streams to the caller
 * line by line. No vscode: the supervisor decides policy, this only launches.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { ReadyLine } from '../../gateway/api';
import { LineSplitter } from './logLine';

export const DEFAULT_READY_TIMEOUT_MS = 15_000;

export interface LaunchOptions {
  /** The Node runtime: VS Code's own (`process.execPath`) unless a setting names another. */
  nodePath: string;
  /** dist/gateway.js */
  script: string;
  args?: string[];
  /** Extra environment on top of the extension host's. */
  env?: Record<string, string>;
  readyTimeoutMs?: number;
  onStdoutLine(line: string): void;
  onStderrLine(line: string): void;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface LaunchedGateway {
  child: ChildProcess;
  ready: ReadyLine['ready'];
  /** Settles when the process has exited, for whatever reason. */
  exited: Promise<ExitInfo>;
}

export async function launchGateway(options: LaunchOptions): Promise<LaunchedGateway> {
  // The window's own gateway makes a fresh token and tells it in its ready line: a
  // BIFROST_TOKEN in the user's environment (for a gateway elsewhere) must not reach it.
  const inherited = { ...process.env };
  delete inherited.BIFROST_TOKEN;
  const child = spawn(options.nodePath, [options.script, 'serve', ...(options.args ?? [])], {
    // ELECTRON_RUN_AS_NODE turns VS Code's Electron binary into plain Node; harmless
    // for a real Node.
    env: { ...inherited, ELECTRON_RUN_AS_NODE: '1', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
    windowsHide: true,
  });
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  // A spawn failure (ENOENT) or a failed kill arrives as 'error'; unhandled, it would
  // throw in the extension host. Before ready it fails the launch, after it 'exit' tells.
  let onSpawnError: ((error: Error) => void) | undefined;
  child.on('error', (error) => onSpawnError?.(error));

  let onReady: ((line: ReadyLine) => void) | undefined;
  const stdout = new LineSplitter((line) => {
    if (onReady) {
      const ready = parseReadyLine(line);
      if (ready) {
        onReady(ready);
        onReady = undefined;
        return;
      }
    }
    options.onStdoutLine(line);
  });
  const stderr = new LineSplitter(options.onStderrLine);
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => stdout.push(chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  child.stdout?.on('end', () => stdout.flush());
  child.stderr?.on('end', () => stderr.flush());
  // Writing to stdin of a process that already died raises EPIPE here; the exit
  // handler reports the death, so this one only has to keep it from being thrown.
  child.stdin?.on('error', () => {});

  const timeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  try {
    const ready = await new Promise<ReadyLine>((resolve, reject) => {
      onReady = resolve;
      timer = setTimeout(() => reject(new Error(`the gateway did not report ready within ${timeoutMs} ms`)), timeoutMs);
      onSpawnError = (error) => reject(new Error(`cannot start ${options.nodePath}: ${error.message}`));
      void exited.then(({ code, signal }) =>
        reject(new Error(`the gateway exited before it was ready (${describeExit({ code, signal })})`)),
      );
    });
    return { child, ready: ready.ready, exited };
  } catch (error) {
    child.kill();
    throw error;
  } finally {
    onReady = undefined;
    onSpawnError = undefined;
    clearTimeout(timer);
  }
}

/** The ready line, or undefined for any other line (a stray log line before it). */
export function parseReadyLine(line: string): ReadyLine | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const parsed = ReadyLine.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function describeExit({ code, signal }: ExitInfo): string {
  return signal ? `killed by ${signal}` : `exit code ${code}`;
}

/**
 * Stops a gateway the way it expects: closing stdin tells it its parent is gone.
 * A process that ignores that gets SIGTERM, then SIGKILL.
 */
export async function stopGateway(child: ChildProcess, exited: Promise<ExitInfo>, graceMs = 3000): Promise<ExitInfo> {
  if (child.exitCode !== null || child.signalCode !== null) return exited;
  child.stdin?.end();
  // Unref'd: a pending grace timer must not keep the extension host alive on shutdown.
  const deadline = (ms: number): Promise<undefined> => delay(ms, undefined, { ref: false });
  const first = await Promise.race([exited, deadline(graceMs)]);
  if (first) return first;
  child.kill('SIGTERM');
  const second = await Promise.race([exited, deadline(1000)]);
  if (second) return second;
  child.kill('SIGKILL');
  return exited;
}
