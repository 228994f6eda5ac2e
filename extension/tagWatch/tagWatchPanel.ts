/**
 * One Tag Watch panel: which tags it watches, their history, and the host side of
 * the panel's protocol (writes, CSV export, clipboard). Several may be open at once;
 * each subscribes to the gateway channel itself and re-subscribes after a restart.
 *
 * The history (last HISTORY_POINTS values per tag) lives here, not only in the page:
 * the page is discarded while hidden, and the snapshot it gets when shown again
 * carries the history, so sparklines and CSV export survive hiding.
 */
import * as vscode from 'vscode';
import { isMethodName, parseAddress, type TagReadTick, type TagValue } from '../../gateway/api';
import { TagValueBatcher } from '../../gateway/api/tagValueBatcher';
import { appendPoint, trimSeries, TREND_MAX_TAGS } from '../../webviews/tagWatch/trendData';
import {
  HISTORY_CAPACITY,
  TAG_WATCH_VIEW_TYPE,
  TagWatchCommands,
  TagWatchRequests,
  rowKey,
  type TagWatchProtocol,
  type TagWatchSnapshot,
  type TrendSnapshot,
  type WatchRow,
  type WriteSupport,
  type WriteTarget,
} from '../../webviews/tagWatch/protocol';
import { requireClient, type GatewayClient, type GatewayConnection } from '../gateway/gatewayConnection';
import type { DeviceTreeProvider } from '../devices/deviceTree';
import type { DisposableScope } from '../util/disposable';
import type { BifrostContext } from '../bifrostContext';
import type { WatchEntry } from './tagWatchEntries';
import { WebviewController } from '../ui/webviewController';
import { saveWatchList } from './watchLists';
import { describeEncodedWrite, describeWriteOutcome } from '../ui/writeResults';
import { gatewayNotice } from '../gateway/gatewayNotice';

/** How often batched values go to the page. */
const PAGE_BATCH_MS = 50;

export class TagWatchPanel implements vscode.Disposable {
  readonly controller: WebviewController<TagWatchProtocol, typeof TagWatchCommands, typeof TagWatchRequests>;
  private readonly history = new Map<string, number[]>();
  /** The trended tags' longer history (TREND_HISTORY_MS), kept only for them: 10,000 tags × 15 min would not fit. */
  private readonly trend = new Map<string, number[]>();
  /** Values for the page, at most every ~50 ms, the latest per tag: caps postMessage traffic, drops nothing the page could show. */
  private readonly batcher: TagValueBatcher;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Each watched tag's row as last seen, shown (stale) while its gateway is away and the model has no devices. */
  private readonly lastRows = new Map<string, WatchRow>();

  /** The gateway whose devices these are: the local one, or an attached one. */
  readonly gateway: GatewayConnection;
  private readonly tree: DeviceTreeProvider;

  constructor(
    private readonly ctx: BifrostContext,
    readonly entries: readonly WatchEntry[],
  ) {
    this.gateway = ctx.gatewayOf(entries[0]);
    this.tree = ctx.devicesTree.treeOf(this.gateway.id) ?? ctx.deviceTree;
    this.controller = new WebviewController({
      viewType: TAG_WATCH_VIEW_TYPE,
      title: this.title(),
      bundle: 'tagWatch',
      extensionUri: ctx.extensionUri,
      log: ctx.log,
      messages: { commands: TagWatchCommands, requests: TagWatchRequests },
    });
    this.batcher = new TagValueBatcher(
      (values, reads) => this.controller.notifyLive({ kind: 'notification', method: 'values', params: reads.length > 0 ? { values, reads } : { values } }),
      { intervalMs: PAGE_BATCH_MS, maxValues: Number.POSITIVE_INFINITY },
    );
    this.controller.setHandlers({
      snapshot: () => this.snapshot(),
      commands: { refresh: () => void this.refreshDevices() },
      requests: {
        'write.preview': async (target) => describeEncodedWrite(await this.client().request('tag.encodeWrite', this.writeTarget(target))),
        'write.commit': async (target) => describeWriteOutcome(await this.client().request('tag.write', this.writeTarget(target))),
        'export.csv': ({ suggestedName, csv }) => this.exportCsv(suggestedName, csv),
        'watchList.save': async () => {
          if (this.gateway !== ctx.gateway) throw new Error(`watch lists are saved in this window's bifrost.json, which does not have ${this.gateway.label}'s devices`);
          const tags = this.rows().map((row) => ({ device: row.device, tag: row.name }));
          return { name: await saveWatchList(this.ctx.configStore, tags, this.title().replace(/^Watch: /, '')) };
        },
        'trend.select': ({ keys }) => this.selectTrend(keys),
        'clipboard.copy': async ({ text }) => {
          await vscode.env.clipboard.writeText(text);
          return {};
        },
      },
      onVisibleChange: (visible) => {
        if (!visible) this.batcher.close();
      },
    });
    this.subscriptions.push(
      ctx.onConnection((client, scope) => this.follow(client, scope), this.gateway),
      this.gateway.onDidChangeState(() => this.controller.refresh()),
      // The tag list may have changed: rows come from the devices' model.
      this.tree.onDidReplaceDevices(() => this.controller.refresh()),
      this.controller.onDidDispose(() => this.dispose()),
    );
  }

  get onDidDispose(): vscode.Event<void> {
    return this.controller.onDidDispose;
  }

  private title(): string {
    const devices = [...new Set(this.entries.map((e) => e.device))];
    const single = this.entries.length === 1 && this.entries[0].tag ? ` / ${this.entries[0].tag}` : '';
    const where = this.gateway === this.ctx.gateway ? '' : ` on ${this.gateway.label}`;
    return `Watch: ${devices.join(', ')}${single}${where}`;
  }

  private follow(client: GatewayClient, scope: DisposableScope): void {
    scope.add(client.onEvent('tag.values', ({ values, reads }) => this.onValues(values, reads ?? [])));
    scope.add(
      client.onEvent('device.status', ({ device, state }) => {
        if (this.entries.some((e) => e.device === device) && this.controller.isLive) {
          this.controller.notifyLive({ kind: 'notification', method: 'deviceState', params: { device, state } });
        }
      }),
    );
    this.controller.refresh();
  }

  private watches(device: string, tag: string): boolean {
    return this.entries.some((e) => e.device === device && (e.tag === undefined || e.tag === tag));
  }

  private onValues(values: readonly TagValue[], reads: readonly TagReadTick[]): void {
    const watched = values.filter((v) => this.watches(v.device, v.tag));
    const watchedReads = reads.filter((tick) => this.entries.some((e) => e.device === tick.device));
    for (const value of watched) this.record(value);
    // A page that cannot receive gets the history in its next snapshot instead.
    if (!this.controller.isLive) return;
    if (watched.length > 0) this.batcher.push(watched);
    for (const tick of watchedReads) this.batcher.pushRead(tick);
  }

  private record(value: TagValue): void {
    const key = rowKey(value.device, value.tag);
    let points = this.history.get(key);
    if (!points) {
      points = [];
      this.history.set(key, points);
    }
    const numeric = typeof value.value === 'boolean' ? Number(value.value) : (value.value ?? NaN);
    points.push(value.ts, numeric);
    if (points.length > HISTORY_CAPACITY * 2) points.splice(0, points.length - HISTORY_CAPACITY * 2);
    const trend = this.trend.get(key);
    if (trend) appendPoint(trend, value.ts, numeric);
    const last = this.lastRows.get(key);
    if (last) this.lastRows.set(key, { ...last, value });
  }

  /** The chart's new set of tags: new ones start from the sparkline's history. */
  private selectTrend(keys: readonly string[]): TrendSnapshot {
    const wanted = keys.filter((key) => this.watchesKey(key)).slice(0, TREND_MAX_TAGS);
    for (const key of [...this.trend.keys()]) if (!wanted.includes(key)) this.trend.delete(key);
    for (const key of wanted) if (!this.trend.has(key)) this.trend.set(key, [...(this.history.get(key) ?? [])]);
    return this.trendSnapshot();
  }

  private trendSnapshot(): TrendSnapshot {
    const now = Date.now();
    const history: Record<string, number[]> = {};
    for (const [key, points] of this.trend) {
      trimSeries(points, now);
      history[key] = points;
    }
    return { keys: [...this.trend.keys()], history };
  }

  private watchesKey(key: string): boolean {
    const [device, tag] = key.split('\u0000');
    return tag !== undefined && this.watches(device, tag);
  }

  private rows(): WatchRow[] {
    const model = this.tree.model;
    const rows: WatchRow[] = [];
    for (const entry of this.entries) {
      const device = model.get(entry.device);
      if (!device) {
        if (this.gateway.state !== 'running') rows.push(...this.staleRows(entry));
        continue;
      }
      for (const tag of device.tags) {
        if (entry.tag !== undefined && entry.tag !== tag.name) continue;
        const parsed = parseAddress(tag.address);
        const bits = parsed.ok && (parsed.address.table === 'coil' || parsed.address.table === 'discreteInput');
        rows.push({
          device: device.name,
          name: tag.name,
          address: tag.address,
          type: tag.type,
          unit: tag.unit,
          bits,
          scanMs: tag.scanMs ?? device.pollMs,
          deviceState: device.status.state,
          value: tag.value,
          // NaN does not survive JSON (it becomes null); the page treats null as a gap too.
          history: this.history.get(rowKey(device.name, tag.name)) ?? [],
        });
        this.lastRows.set(rowKey(device.name, tag.name), rows[rows.length - 1]);
      }
    }
    return rows;
  }

  /** A watched device's last rows while its gateway is away: the values it last had, marked stale and why. */
  private staleRows(entry: WatchEntry): WatchRow[] {
    // A few words beside each value; the notice above the table says the rest.
    const local = this.gateway === this.ctx.gateway;
    const stopped = this.gateway.state === 'stopped';
    const why = local ? (stopped ? 'gateway not running' : 'gateway restarting') : stopped ? 'gateway not connected' : 'gateway out of reach';
    return [...this.lastRows.values()]
      .filter((row) => row.device === entry.device && (entry.tag === undefined || entry.tag === row.name))
      .map((row) => ({
        ...row,
        deviceState: 'disconnected',
        ...(row.value ? { value: { ...row.value, quality: 'stale', error: why } } : {}),
        history: this.history.get(rowKey(row.device, row.name)) ?? [],
      }));
  }

  private snapshot(): TagWatchSnapshot {
    const notice = gatewayNotice(this.gateway, this.gateway === this.ctx.gateway, 'values are not updating');
    return { title: this.title(), rows: this.rows(), write: this.writeSupport(), notice, trend: this.trendSnapshot() };
  }

  private writeSupport(): WriteSupport {
    if (!isMethodName('tag.write') || !isMethodName('tag.encodeWrite')) {
      return { available: false, reason: 'this gateway version has no write methods' };
    }
    return { available: true };
  }

  private client(): GatewayClient {
    return requireClient(this.gateway);
  }

  /** Only tags this panel shows may be written from it. */
  private writeTarget(target: WriteTarget): WriteTarget {
    if (!this.watches(target.device, target.tag)) throw new Error(`${target.device} / ${target.tag} is not in this watch`);
    return target;
  }

  private async exportCsv(suggestedName: string, csv: string): Promise<{ path?: string }> {
    // The name comes from the page: only a plain file name is offered, never a path.
    const name = /^[\w. -]+$/.test(suggestedName) ? suggestedName : 'tag-history.csv';
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const uri = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: { CSV: ['csv'] },
      saveLabel: 'Export',
    });
    if (!uri) return {};
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(csv));
    return { path: uri.fsPath };
  }

  private async refreshDevices(): Promise<void> {
    const client = this.gateway.client;
    if (!client) return;
    for (const device of new Set(this.entries.map((e) => e.device))) {
      await client.request('device.refresh', { device }).catch((error: unknown) => this.ctx.log.warn(`refresh ${device}: ${String(error)}`));
    }
  }

  reveal(): void {
    this.controller.reveal();
  }

  dispose(): void {
    this.batcher.close();
    for (const subscription of this.subscriptions) subscription.dispose();
    this.controller.dispose();
  }
}
