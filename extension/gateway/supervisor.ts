/**
 * Keeps one gateway process running for the extension's lifetime.
 *
 * After vscode-eslint and rust-analyzer: spawn the bundled gateway with VS Code's
 * own Node (or the one a setting names), wait for its ready line, connect the
 * channel, and restart with backoff when either dies. A gateway that crashes
 * 5 times in 3 minutes is left stopped and the user is told, with the log one
 * click away, instead of a restart loop filling it.
 *
 * Every start gets a generation number; callbacks from an older generation (a
 * process we already gave up on, a channel we closed) are ignored, so a late exit
 * event can never tear down its successor.
 */
import * as vscode from 'vscode';
import type { ReadyLine } from '../../gateway/api';
import { errorMessage, isLogLevel, levelAtLeast, type LogLevel } from '../util/logger';
import { ChannelClient } from './channelClient';
import { CrashPolicy, DEFAULT_CRASH_POLICY } from './crashPolicy';
import { describeExit, launchGateway, stopGateway, type LaunchedGateway } from './launch';
import type { GatewayConnection, GatewayState } from './gatewayConnection';
import { parseLogLine } from './logLine';

export type { GatewayState } from './gatewayConnection';

export interface SupervisorOptions {
  /** Absolute path of dist/gateway.js. */
  script: string;
  log: vscode.LogOutputChannel;
  /** Sent in the channel's hello. */
  clientName: string;
}

/** The gateway gives its own shutdown 3 s before it exits anyway; wait a little longer. */
const STOP_GRACE_MS = 4000;

interface Running {
  launched: LaunchedGateway;
  client?: ChannelClient;
}

export class GatewaySupervisor implements GatewayConnection, vscode.Disposable {
  readonly id = 'local';
  readonly label = 'the local gateway';
  private currentState: GatewayState = 'stopped';
  private current: Running | undefined;
  private generation = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly policy = new CrashPolicy();

  private readonly stateEmitter = new vscode.EventEmitter<GatewayState>();
  /** Fires on every state change. */
  readonly onDidChangeState = this.stateEmitter.event;
  private readonly connectEmitter = new vscode.EventEmitter<ChannelClient>();
  /** Fires with each new channel, after every (re)start: subscribers re-sync from it. */
  readonly onDidConnect = this.connectEmitter.event;
  private readonly disconnectEmitter = new vscode.EventEmitter<void>();
  readonly onDidDisconnect = this.disconnectEmitter.event;

  constructor(private readonly options: SupervisorOptions) {}

  get state(): GatewayState {
    return this.currentState;
  }

  /** The live channel, while the state is 'running'. */
  get client(): ChannelClient | undefined {
    return this.currentState === 'running' ? this.current?.client : undefined;
  }

  /** What the running gateway reported in its ready line. */
  get info(): ReadyLine['ready'] | undefined {
    return this.currentState === 'running' ? this.current?.launched.ready : undefined;
  }

  /** Starts the gateway unless it is already running or on its way. */
  start(): void {
    if (this.currentState === 'running' || this.currentState === 'starting') return;
    this.clearRestartTimer();
    this.setState('starting');
    this.launch(++this.generation);
  }

  /** What the Restart command does: a clean slate, including the crash count. */
  async restart(): Promise<void> {
    this.policy.reset();
    await this.stop();
    this.start();
  }

  /** Stops on purpose (deactivate, restart): no crash is counted, nothing restarts. */
  async stop(): Promise<void> {
    this.generation++;
    this.clearRestartTimer();
    const running = this.current;
    this.current = undefined;
    if (this.currentState !== 'stopped') this.setState('stopped');
    if (!running) return;
    running.client?.close();
    this.disconnectEmitter.fire();
    const exit = await stopGateway(running.launched.child, running.launched.exited, STOP_GRACE_MS);
    this.options.log.info(`gateway stopped (${describeExit(exit)})`);
  }

  private launch(generation: number): void {
    // run() handles its own failures; anything else (a bug) still counts as a crash.
    this.run(generation).catch((error: unknown) => this.fail(generation, `the gateway start failed: ${errorMessage(error)}`));
  }

  private async run(generation: number): Promise<void> {
    const { log } = this.options;
    const threshold = logLevel();
    let launched: LaunchedGateway;
    try {
      launched = await launchGateway({
        nodePath: nodePath(),
        script: this.options.script,
        // The gateway's only knob is --verbose (debug and up); levels above info are
        // filtered here, on its stderr lines.
        args: levelAtLeast('debug', threshold) ? ['--verbose'] : [],
        onStdoutLine: (line) => log.info(`[gateway stdout] ${line}`),
        // stderr carries everything the gateway logs (its `log` events repeat it), plus
        // what happens before the channel is up and a crash's last words.
        onStderrLine: (line) => {
          const { level, message } = parseLogLine(line);
          if (levelAtLeast(level, threshold)) writeAtLevel(log, level, message);
        },
      });
    } catch (error) {
      this.fail(generation, `the gateway failed to start: ${errorMessage(error)}`);
      return;
    }
    if (generation !== this.generation) {
      // Stopped while it was starting.
      await stopGateway(launched.child, launched.exited);
      return;
    }
    const { port, pid, version } = launched.ready;
    log.info(`gateway ${version} started (pid ${pid}, port ${port})`);
    const running: Running = { launched };
    this.current = running;
    void launched.exited.then((exit) => this.fail(generation, `the gateway exited unexpectedly (${describeExit(exit)})`));

    let client: ChannelClient;
    try {
      client = await ChannelClient.connect({ port, token: launched.ready.token, logger: log, clientName: this.options.clientName });
    } catch (error) {
      this.fail(generation, `cannot open the gateway channel: ${errorMessage(error)}`);
      return;
    }
    if (generation !== this.generation) {
      client.close();
      return;
    }
    running.client = client;
    // The gateway says so when this window fell behind and it held messages back (a blocked
    // extension host): the views catch up at their next snapshot; the log says why they lagged.
    client.onEvent('channel.missed', ({ events, responses, since }) =>
      log.warn(`the gateway held back ${events} events and ${responses} answers while this window was not reading (since ${new Date(since).toLocaleTimeString()})`),
    );
    client.onClose(({ code, reason }) => this.fail(generation, `the gateway channel closed (${code}${reason ? ` ${reason}` : ''})`));
    this.setState('running');
    this.connectEmitter.fire(client);
  }

  /** A crash, a failed start or a lost channel: tear down this generation and decide what next. */
  private fail(generation: number, reason: string): void {
    if (generation !== this.generation) return;
    this.generation++;
    const { log } = this.options;
    log.error(reason);
    const running = this.current;
    this.current = undefined;
    if (running) {
      running.client?.close();
      this.disconnectEmitter.fire();
      // Usually dead already; if only the channel failed, the process goes too, so the
      // restart starts from a clean slate.
      void stopGateway(running.launched.child, running.launched.exited, 500);
    }
    const decision = this.policy.recordCrash(Date.now());
    if (!decision.restart) {
      this.setState('stopped');
      const minutes = DEFAULT_CRASH_POLICY.windowMs / 60_000;
      log.error(`the gateway failed ${decision.recentCrashes} times in ${minutes} minutes; not restarting it`);
      const message = `The Bifrost gateway failed ${decision.recentCrashes} times in ${minutes} minutes and was stopped. Last: ${reason}.`;
      this.offerRestart(message).catch((error: unknown) => log.error(`restart failed: ${errorMessage(error)}`));
      return;
    }
    log.warn(`restarting the gateway in ${decision.delayMs} ms`);
    this.setState('restarting');
    const next = this.generation;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.launch(next);
    }, decision.delayMs);
  }

  private async offerRestart(message: string): Promise<void> {
    const choice = await vscode.window.showErrorMessage(message, 'Show Log', 'Restart');
    if (choice === 'Show Log') this.options.log.show();
    else if (choice === 'Restart') await this.restart();
  }

  private setState(state: GatewayState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    this.stateEmitter.fire(state);
  }

  private clearRestartTimer(): void {
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
  }

  dispose(): void {
    // deactivate() awaits stop() itself; this covers a dispose without it.
    this.stop().catch((error: unknown) => this.options.log.error(`stopping the gateway failed: ${errorMessage(error)}`));
    this.stateEmitter.dispose();
    this.connectEmitter.dispose();
    this.disconnectEmitter.dispose();
  }
}

const CHANNEL_LEVEL: Record<LogLevel, vscode.LogLevel> = {
  trace: vscode.LogLevel.Trace,
  debug: vscode.LogLevel.Debug,
  info: vscode.LogLevel.Info,
  warn: vscode.LogLevel.Warning,
  error: vscode.LogLevel.Error,
};

/**
 * The output channel has a level of its own (Developer: Set Log Level, Info by
 * default). A debug line the user asked for with `bifrost.gateway.logLevel` must
 * not vanish there, so one the channel would drop is written at info, tagged.
 */
function writeAtLevel(log: vscode.LogOutputChannel, level: LogLevel, message: string): void {
  if (log.logLevel !== vscode.LogLevel.Off && CHANNEL_LEVEL[level] < log.logLevel) log.info(`[${level}] ${message}`);
  else log[level](message);
}

function nodePath(): string {
  const configured = vscode.workspace.getConfiguration('bifrost.gateway').get<string>('nodePath', '').trim();
  return configured || process.execPath;
}

function logLevel(): LogLevel {
  const level = vscode.workspace.getConfiguration('bifrost.gateway').get<string>('logLevel', 'info');
  return isLogLevel(level) ? level : 'info';
}
