/**
 * One Registers panel's host side: what it reads (a device or an ad-hoc endpoint),
 * the range, poll rate and row formats, the read loop, and the page's requests
 * (writes with their frame preview, rows → tags, saving the view, the clipboard).
 * Every message from the page is checked against protocol.ts's zod schemas first.
 *
 * The loop reads, waits the poll period, and reads again (never two reads of one
 * panel at once); it runs only while the page can show values: a hidden panel
 * costs the device nothing.
 */
import * as vscode from 'vscode';
import { FORMAT_TAG_TYPE, formatValue, parseTypedValue } from '../../gateway/api/codec/registerFormats';
import type { RangeChunk } from '../../gateway/api';
import {
  REGISTERS_VIEW_TYPE,
  RegistersCommands,
  RegistersRequests,
  type FormatEntry,
  type RangeSpec,
  type RegistersProtocol,
  type RegistersSnapshot,
  type RowWrite,
} from '../../webviews/registers/protocol';
import { requireClient, type GatewayClient } from '../gateway/gatewayConnection';
import type { BifrostContext } from '../bifrostContext';
import { errorMessage } from '../util/logger';
import { WebviewController } from '../ui/webviewController';
import { spacedHex } from '../ui/writeResults';
import { targetParams, type RegisterTargetInfo } from '../devices/registerTarget';

export interface RegistersPanelOptions {
  target: RegisterTargetInfo;
  range: RangeSpec;
  formats?: FormatEntry[];
  /** Rows → tags in bifrost.json; resolves with the names added. */
  addTags(target: RegisterTargetInfo, rows: { offset: number; format: FormatEntry['format'] }[], table: RangeSpec['table']): Promise<string[]>;
  /** The view into bifrost.json; resolves with its name, or undefined when cancelled. */
  saveView(target: RegisterTargetInfo, range: RangeSpec, formats: FormatEntry[]): Promise<string | undefined>;
}

export class RegistersPanel implements vscode.Disposable {
  readonly controller: WebviewController<RegistersProtocol, typeof RegistersCommands, typeof RegistersRequests>;
  private range: RangeSpec;
  private formats: FormatEntry[];
  private chunks: RangeChunk[] = [];
  private notice: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reading = false;
  private readAgain = false;
  private disposed = false;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly ctx: BifrostContext,
    private readonly options: RegistersPanelOptions,
  ) {
    this.range = options.range;
    this.formats = options.formats ?? [];
    this.controller = new WebviewController({
      viewType: REGISTERS_VIEW_TYPE,
      title: this.title(),
      bundle: 'registers',
      extensionUri: ctx.extensionUri,
      log: ctx.log,
      messages: { commands: RegistersCommands, requests: RegistersRequests },
    });
    this.controller.setHandlers({
      snapshot: () => this.snapshot(),
      commands: {
        'range.set': (range) => this.setRange(range),
        'formats.set': ({ formats }) => {
          this.formats = formats;
        },
        'range.read': () => this.readSoon(),
      },
      requests: {
        'write.preview': async (write) => {
          const frame = await this.client().request('registers.encodeWrite', this.writeParams(write));
          return { frameHex: spacedHex(frame.frame), summary: frame.description };
        },
        'write.commit': (write) => this.commitWrite(write),
        'tags.add': async ({ rows }) => ({ added: await this.options.addTags(this.options.target, rows, this.range.table) }),
        'view.save': async () => {
          const name = await this.options.saveView(this.options.target, this.range, this.formats);
          return name === undefined ? {} : { name };
        },
        'clipboard.copy': async ({ text }) => {
          await vscode.env.clipboard.writeText(text);
          return {};
        },
      },
      onVisibleChange: (visible) => (visible ? this.readSoon() : this.stopLoop()),
    });
    this.subscriptions.push(
      ctx.onConnection(() => this.readSoon(), ctx.gateway),
      ctx.gateway.onDidChangeState(() => this.controller.refresh()),
      this.controller.onDidDispose(() => this.dispose()),
    );
  }

  get target(): RegisterTargetInfo {
    return this.options.target;
  }

  get onDidDispose(): vscode.Event<void> {
    return this.controller.onDidDispose;
  }

  /** The rows read last, for tests: zero-based address → register or bit. */
  get values(): ReadonlyMap<number, number> {
    const map = new Map<number, number>();
    for (const chunk of this.chunks) chunk.values?.forEach((value, i) => map.set(chunk.start + i, value));
    return map;
  }

  private title(): string {
    const prefix = { holdingRegister: 'HR', inputRegister: 'IR', coil: 'CO', discreteInput: 'DI' }[this.range.table];
    return `Registers: ${this.options.target.label} ${prefix}:${this.range.start + this.options.target.addressBase} ×${this.range.count}`;
  }

  private snapshot(): RegistersSnapshot {
    const target = this.options.target;
    return {
      title: this.title(),
      label: target.label,
      addressBase: target.addressBase,
      ...(target.readOnly ? { readOnly: `${target.label} is read-only (readOnly: true in bifrost.json)` } : {}),
      range: this.range,
      formats: this.formats,
      chunks: this.chunks,
      ...(this.notice === undefined ? {} : { notice: this.notice }),
    };
  }

  private setRange(range: RangeSpec): void {
    const moved = range.table !== this.range.table || range.start !== this.range.start || range.count !== this.range.count;
    this.range = range;
    if (moved) this.chunks = [];
    this.controller.title = this.title();
    this.readSoon();
  }

  private async commitWrite(write: RowWrite): Promise<{ summary: string; readBack: string }> {
    const done = await this.client().request('registers.write', this.writeParams(write));
    this.readSoon();
    const values = done.readBack.values;
    const readBack = values ? (this.bits() ? String(values[0]) : (formatValue(write.format, values) ?? values.join(' '))) : `nothing (${done.readBack.error ?? 'no reply'})`;
    return { summary: done.description, readBack };
  }

  private bits(): boolean {
    return this.range.table === 'coil' || this.range.table === 'discreteInput';
  }

  private writeParams(write: RowWrite) {
    const target = targetParams(this.options.target);
    if (this.range.table === 'coil') {
      const text = write.text.trim().toLowerCase();
      const on = ['1', 'true', 'on'].includes(text) ? true : ['0', 'false', 'off'].includes(text) ? false : undefined;
      if (on === undefined) throw new Error(`"${write.text}" is not a coil state: type 1/0, true/false or on/off`);
      return { target, table: 'coil' as const, address: write.offset, value: on };
    }
    if (this.range.table !== 'holdingRegister') throw new Error('input registers and discrete inputs are read-only by the protocol');
    const typed = parseTypedValue(write.format, write.text);
    if (!typed.ok) throw new Error(typed.error);
    return { target, table: 'holdingRegister' as const, address: write.offset, format: { type: FORMAT_TAG_TYPE[write.format.kind], order: write.format.order }, value: typed.value };
  }

  private client(): GatewayClient {
    return requireClient(this.ctx.gateway);
  }

  /** Read now (after the read in flight, if any), then keep the poll period. */
  private readSoon(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    void this.readLoop();
  }

  private stopLoop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async readLoop(): Promise<void> {
    if (this.disposed || !this.controller.isLive) return;
    const client = this.ctx.gateway.client;
    if (!client) return;
    this.reading = true;
    const range = this.range;
    try {
      const result = await client.request('registers.read', { target: targetParams(this.options.target), table: range.table, start: range.start, count: range.count }, { timeoutMs: 120_000 });
      if (range === this.range) {
        this.chunks = result.chunks;
        this.notice = undefined;
      }
    } catch (error) {
      // The endpoint cannot be reached, the gateway restarted: say so and keep the last values.
      // A ChannelRequestError's message is the user's words already (no method name to cut).
      this.notice = `Not updating: ${errorMessage(error)}`;
    } finally {
      this.reading = false;
    }
    if (this.disposed) return;
    if (range === this.range) this.controller.notifyLive({ kind: 'notification', method: 'values', params: { range, chunks: this.chunks, ...(this.notice ? { notice: this.notice } : {}) } });
    if (this.readAgain) {
      this.readAgain = false;
      return this.readLoop();
    }
    if (this.range.pollMs > 0 && this.controller.isLive) this.timer = setTimeout(() => void this.readLoop(), this.range.pollMs);
  }

  reveal(): void {
    this.controller.reveal();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.stopLoop();
    for (const subscription of this.subscriptions) subscription.dispose();
    this.controller.dispose();
  }
}
