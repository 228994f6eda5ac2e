/**
 * A gateway elsewhere (`bifrost-gateway run --serve` on an edge box), reached over
 * wss:// with the operator's token. It is looked at, never configured: the window's
 * bifrost.json is not applied to it. A lost connection is retried with backoff and
 * the reason shown on its node; a certificate that is not the pinned one, or a
 * token the gateway refuses, stops the retries, since only the user can mend them.
 */
import * as vscode from 'vscode';
import type { ReadyLine } from '../../gateway/api';
import { errorMessage } from '../util/logger';
import { pinnedSocketOptions, probeCertificate, type CertificatePin } from './certificatePin';
import { ChannelClient, ChannelConnectError } from './channelClient';
import { channelCloseInWords } from './connectionWords';
import type { GatewayConnection, GatewayState } from './gatewayConnection';

export interface RemoteGatewayOptions {
  /** `wss://host:port/` without the token. */
  url: string;
  token: string;
  /** The self-signed certificate the user chose to trust; none when the system trusts it. */
  pin?: CertificatePin;
  log: vscode.LogOutputChannel;
  clientName: string;
}

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;

export function remoteGatewayId(url: string): string {
  return `remote:${url}`;
}

export class RemoteGateway implements GatewayConnection, vscode.Disposable {
  readonly id: string;
  readonly label: string;
  private currentState: GatewayState = 'stopped';
  private live: ChannelClient | undefined;
  private generation = 0;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  /** Why it is not connected ("unreachable: connection refused"), shown on its node; undefined while fine. */
  problem: string | undefined;

  private readonly stateEmitter = new vscode.EventEmitter<GatewayState>();
  readonly onDidChangeState = this.stateEmitter.event;
  private readonly connectEmitter = new vscode.EventEmitter<ChannelClient>();
  readonly onDidConnect = this.connectEmitter.event;
  private readonly disconnectEmitter = new vscode.EventEmitter<void>();
  readonly onDidDisconnect = this.disconnectEmitter.event;

  constructor(private readonly options: RemoteGatewayOptions) {
    this.id = remoteGatewayId(options.url);
    this.label = new URL(options.url).host;
  }

  get url(): string {
    return this.options.url;
  }

  get state(): GatewayState {
    return this.currentState;
  }

  get client(): ChannelClient | undefined {
    return this.currentState === 'running' ? this.live : undefined;
  }

  get info(): ReadyLine['ready'] | undefined {
    const hello = this.client?.hello;
    if (!hello) return undefined;
    return { port: Number(new URL(this.options.url).port || 443), token: this.options.token, pid: hello.pid, version: hello.gatewayVersion };
  }

  /** The bifrost.json the gateway runs, as it said in hello. */
  get configFile(): string | undefined {
    return this.client?.hello?.configFile;
  }

  start(): void {
    if (this.currentState === 'running' || this.currentState === 'starting') return;
    clearTimeout(this.retryTimer);
    this.problem = undefined;
    this.setState('starting');
    void this.connect(++this.generation);
  }

  /** Connect again now, without waiting for the next retry. */
  restart(): Promise<void> {
    this.stop();
    this.failures = 0;
    this.start();
    return Promise.resolve();
  }

  stop(): void {
    this.generation++;
    clearTimeout(this.retryTimer);
    const live = this.live;
    this.live = undefined;
    this.setState('stopped');
    if (live) {
      live.close();
      this.disconnectEmitter.fire();
    }
  }

  private async connect(generation: number): Promise<void> {
    const { url, token, pin, log, clientName } = this.options;
    let client: ChannelClient;
    try {
      client = await ChannelClient.connect({ url, token, logger: log, clientName, ...(pin ? { socketOptions: pinnedSocketOptions(pin) } : {}) });
    } catch (error) {
      if (generation !== this.generation) return;
      // A token the gateway no longer takes would only be guessed again (and lock this address out): stop, and say so.
      const refusedToken = error instanceof ChannelConnectError && error.code === 'HTTP_401';
      const changed = refusedToken
        ? 'it refused the token (changed on the gateway?); Attach Gateway… again with the new one'
        : pin
          ? await this.certificateChanged(pin)
          : undefined;
      if (generation !== this.generation) return;
      if (changed) {
        this.problem = changed;
        log.error(`${this.label}: ${changed}`);
        this.setState('stopped');
        void vscode.window.showErrorMessage(`Bifrost: ${this.label}: ${changed}`);
        return;
      }
      // Its node names the gateway already: the reason alone ("connection refused: nothing listens at that port").
      this.retryLater(error instanceof ChannelConnectError ? error.reason : errorMessage(error));
      return;
    }
    if (generation !== this.generation) {
      client.close();
      return;
    }
    this.failures = 0;
    this.problem = undefined;
    this.live = client;
    client.onClose(({ code, reason }) => {
      if (generation !== this.generation || this.live !== client) return;
      this.live = undefined;
      this.disconnectEmitter.fire();
      this.retryLater(channelCloseInWords(code, reason));
    });
    log.info(`attached to ${url}${client.hello?.configFile ? ` (it runs ${client.hello.configFile})` : ''}`);
    this.setState('running');
    this.connectEmitter.fire(client);
  }

  /** After a failed connection with a pinned certificate: the reason to stop, if the gateway now shows another one. */
  private async certificateChanged(pin: CertificatePin): Promise<string | undefined> {
    try {
      const presented = await probeCertificate(new URL(this.options.url));
      if (presented.fingerprint256 === pin.fingerprint256) return undefined;
      return (
        `its certificate changed (SHA-256 ${presented.fingerprint256}; trusted was ${pin.fingerprint256}), so it was refused. ` +
        'If the gateway got a new certificate, Attach Gateway… again to trust it; otherwise something else answers at that address'
      );
    } catch {
      return undefined;
    }
  }

  private retryLater(why: string): void {
    const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** this.failures);
    this.failures++;
    this.problem = `unreachable: ${why}`;
    this.options.log.warn(`${this.label} ${this.problem}; trying again in ${delay / 1000} s`);
    this.setState('restarting');
    const next = ++this.generation;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect(next);
    }, delay);
  }

  private setState(state: GatewayState): void {
    if (state === this.currentState) {
      // The problem may have changed while the state did not (another failed attempt): views repaint on this.
      if (state === 'restarting') this.stateEmitter.fire(state);
      return;
    }
    this.currentState = state;
    this.stateEmitter.fire(state);
  }

  dispose(): void {
    this.stop();
    this.stateEmitter.dispose();
    this.connectEmitter.dispose();
    this.disconnectEmitter.dispose();
  }
}
