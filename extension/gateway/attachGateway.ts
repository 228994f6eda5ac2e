/**
 * Bifrost: Attach Gateway… and Detach Gateway: a gateway elsewhere joins the window
 * (its devices under its own node in the Devices view) with the URL and token the
 * user gives; a certificate this machine does not trust is shown by its fingerprint
 * and pinned once the user trusts it. Attached gateways come back on reload.
 */
import * as vscode from 'vscode';
import { OPERATOR_TOKEN_PATTERN, OPERATOR_TOKEN_RULE } from '../../gateway/api';
import type { BifrostContext } from '../bifrostContext';
import { prompterFromArgument, type Prompter } from '../ui/prompter';
import { setContext } from '../util/whenContext';
import { attachFailure } from './attachFailure';
import { AttachedGatewayStore, type AttachedGatewayRecord } from './attachedGateways';
import { pinnedSocketOptions, probeCertificate, type CertificatePin } from './certificatePin';
import { ChannelClient, ChannelConnectError } from './channelClient';
import { parseGatewayUrl } from './gatewayUrl';
import { RemoteGateway, remoteGatewayId } from './remoteGateway';

export const ATTACH_GATEWAY_COMMAND = 'bifrost.attachGateway';
export const DETACH_GATEWAY_COMMAND = 'bifrost.detachGateway';
const HAS_ATTACHED_CONTEXT = 'bifrost.hasAttachedGateways';

export class GatewayAttacher implements vscode.Disposable {
  private readonly attached = new Map<string, RemoteGateway>();
  /** What the last attempt that failed was given, offered again by the next one (a wrong port need not cost the token). Memory only. */
  private lastFailed: { url: string; token?: string } | undefined;

  constructor(
    private readonly ctx: BifrostContext,
    private readonly store: AttachedGatewayStore,
    private readonly clientName: string,
  ) {}

  /** The gateways attached in an earlier session, connecting again. */
  async restore(): Promise<void> {
    for (const record of this.store.list()) {
      const token = await this.store.token(record.url);
      if (token === undefined) {
        this.ctx.log.warn(`not re-attaching ${record.url}: its token is no longer in the keychain; attach it again`);
        continue;
      }
      this.open(record, token);
    }
  }

  /** Returns the attached gateway's id (for tests and other extensions), or undefined when the user cancelled. */
  async attach(arg: unknown): Promise<string | undefined> {
    const prompter = prompterFromArgument(arg);
    const typed = await prompter.showInputBox({
      title: 'Attach Gateway (1/2)',
      prompt: 'The channel of a gateway started with "run --serve" (or "serve") and TLS, as it printed it',
      placeHolder: 'wss://gw-site-a.example.com:7443',
      ...(this.lastFailed ? { value: this.lastFailed.url } : {}),
      ignoreFocusOut: true,
      validateInput: (text) => {
        const parsed = parseGatewayUrl(text);
        return 'error' in parsed ? parsed.error : undefined;
      },
    });
    if (typed === undefined) return undefined;
    const parsed = parseGatewayUrl(typed);
    if ('error' in parsed) throw new Error(parsed.error);
    const { url } = parsed;
    const host = new URL(url).host;
    const tokenBefore = this.lastFailed?.url === url ? this.lastFailed.token : undefined;
    const token = await prompter.showInputBox({
      title: 'Attach Gateway (2/2)',
      prompt: `The token of ${host}: what its --token-file holds (or its BIFROST_TOKEN). Kept in this machine's keychain.`,
      password: true,
      ...(tokenBefore ? { value: tokenBefore } : {}),
      ignoreFocusOut: true,
      validateInput: (text) => (OPERATOR_TOKEN_PATTERN.test(text.trim()) ? undefined : `a gateway's token is ${OPERATOR_TOKEN_RULE}`),
    });
    if (token === undefined) return undefined;

    let pin: CertificatePin | undefined | false;
    let probe: ChannelClient;
    try {
      // Plain ws:// is only ever the local end of a tunnel: no certificate to decide on.
      pin = url.startsWith('ws:') ? undefined : await this.decideTrust(prompter, url);
      if (pin === false) return undefined;
      // One connection first, so a wrong token or an unreachable gateway is said now and nothing is remembered.
      probe = await ChannelClient.connect({ url, token: token.trim(), logger: this.ctx.log, clientName: this.clientName, ...(pin ? { socketOptions: pinnedSocketOptions(pin) } : {}) });
    } catch (error) {
      // The next Attach Gateway… starts from what was typed; a token the gateway refused is not offered again.
      const wrongToken = error instanceof ChannelConnectError && error.code === 'HTTP_401';
      this.lastFailed = wrongToken ? { url } : { url, token: token.trim() };
      throw new Error(attachFailure(host, error));
    }
    this.lastFailed = undefined;
    const configFile = probe.hello?.configFile;
    probe.close();

    this.close(url);
    const record: AttachedGatewayRecord = pin ? { url, pin } : { url };
    await this.store.save(record, token.trim());
    const gateway = this.open(record, token.trim());
    this.ctx.log.info(`attached ${url}${configFile ? `, which runs ${configFile}` : ''}`);
    return gateway.id;
  }

  /** From the gateway's node (or its id or URL); the palette picks among the attached ones. Forgets its token. */
  async detach(arg: unknown): Promise<boolean> {
    const gateway = await this.pick(arg);
    if (!gateway) return false;
    this.close(gateway.url);
    await this.store.forget(gateway.url);
    this.ctx.log.info(`detached ${gateway.url}`);
    return true;
  }

  /** The certificate pin to use: undefined when the system trusts it, false when the user declined. */
  private async decideTrust(prompter: Prompter, url: string): Promise<CertificatePin | undefined | false> {
    const host = new URL(url).host;
    const presented = await probeCertificate(new URL(url));
    if (presented.trusted) return undefined;
    const before = this.store.get(url)?.pin;
    if (before?.fingerprint256 === presented.fingerprint256) return before;
    const changed = before ? `It is NOT the certificate trusted before (${before.fingerprint256}). ` : '';
    const choice = await prompter.showWarningMessage(
      // "wss://host:7443" as typed, not "wss://host:7443/?": the question mark belongs to the sentence.
      `${host} presents a certificate this machine does not trust: ${presented.untrustedBecause}. Trust it for ${url.replace(/\/$/, '')}?`,
      {
        modal: true,
        detail:
          `${changed}SHA-256 fingerprint:\n${presented.fingerprint256}\n\n${presented.subject}, valid until ${presented.validTo}.\n\n` +
          'Compare it with the gateway\'s log ("TLS certificate … SHA-256 fingerprint …"). Once trusted, only this certificate is accepted from this URL.',
      },
      'Trust and Attach',
    );
    if (choice !== 'Trust and Attach') return false;
    return { fingerprint256: presented.fingerprint256, pem: presented.pem };
  }

  private async pick(arg: unknown): Promise<RemoteGateway | undefined> {
    const wanted = typeof arg === 'string' ? arg : arg && typeof arg === 'object' && 'id' in arg && typeof arg.id === 'string' ? arg.id : undefined;
    if (wanted !== undefined) return [...this.attached.values()].find((gateway) => gateway.id === wanted || gateway.url === wanted);
    const gateways = [...this.attached.values()];
    if (gateways.length === 0) {
      void vscode.window.showInformationMessage('No gateway is attached.');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      gateways.map((gateway) => ({ label: gateway.label, description: gateway.url, gateway })),
      { placeHolder: 'Gateway to detach (its token is forgotten)' },
    );
    return picked?.gateway;
  }

  private open(record: AttachedGatewayRecord, token: string): RemoteGateway {
    const gateway = new RemoteGateway({ url: record.url, token, log: this.ctx.log, clientName: this.clientName, ...(record.pin ? { pin: record.pin } : {}) });
    this.attached.set(record.url, gateway);
    this.ctx.gateways.add(gateway);
    setContext(HAS_ATTACHED_CONTEXT, true, this.ctx.log);
    gateway.start();
    return gateway;
  }

  private close(url: string): void {
    const gateway = this.attached.get(url);
    if (!gateway) return;
    this.attached.delete(url);
    this.ctx.gateways.remove(remoteGatewayId(url));
    gateway.dispose();
    setContext(HAS_ATTACHED_CONTEXT, this.attached.size > 0, this.ctx.log);
  }

  /** Closes every attached gateway without forgetting it, as closing the window does: restore() attaches them again. */
  closeAll(): void {
    for (const url of [...this.attached.keys()]) this.close(url);
  }

  dispose(): void {
    this.closeAll();
  }
}
