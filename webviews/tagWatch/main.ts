/**
 * The Tag Watch panel's page: a toolbar, the virtualized tag grid, and two panes
 * (decode-as and write) that follow the active row. Data comes from the host as a
 * snapshot (after `ready`, and again whenever the panel is shown) and then as value
 * batches; view settings survive hiding through the vscodeApi state.
 */
import '../shared/base.css';
import './styles.css';
import { HostConnection, USER_REQUEST_TIMEOUT_MS } from '../shared/hostConnection';
import type { DisplayMode } from '../shared/format';
import { button, dropdown, registerControls, textField } from '../shared/ui';
import { getState, setState } from '../shared/vscodeApi';
import { DecodePanel } from './decodePanel';
import { historyAsCsv, rowsAsTsv } from './exportRows';
import { TagGrid } from './grid';
import type { TagWatchProtocol, TrendSnapshot } from './protocol';
import { rowKey } from './rows';
import { updateSparklineColours } from './sparkline';
import { numericValue, WatchStore } from './store';
import { TrendChart } from './trendChart';
import { appendPoint, TREND_MAX_TAGS, type FlatHistory } from './trendData';
import { WritePanel } from './writePanel';

type Pane = 'none' | 'decode' | 'write' | 'trend';

interface ViewState {
  mode: DisplayMode;
  filter: string;
  pane: Pane;
  scrollTop: number;
  activeKey?: string;
}

registerControls();
updateSparklineColours();

const state = getState<ViewState>({ mode: 'decimal', filter: '', pane: 'none', scrollTop: 0 });
const host = new HostConnection<TagWatchProtocol>();
const store = new WatchStore();
let snapshotsSeen = 0;

const decodePanel = new DecodePanel();
const writePanel = new WritePanel(host);
const grid = new TagGrid(store, {
  onActivate: (row) => {
    writePanel.follow(row);
    showPane('write');
    writePanel.focusInput();
  },
  onActiveRowChange: (row) => {
    state.activeKey = row?.key;
    saveState();
    decodePanel.follow(row);
    writePanel.follow(row);
  },
  onCopy: (rows) => void copyRows(rows),
});

const status = document.createElement('div');
status.className = 'status';
status.setAttribute('role', 'status');

function saveState(): void {
  setState(state);
}

/** A toolbar button opens its pane, or closes it when it is already open. */
function togglePane(pane: Pane): void {
  showPane(state.pane === pane ? 'none' : pane);
}

function showPane(pane: Pane): void {
  state.pane = pane;
  decodePanel.element.hidden = state.pane !== 'decode';
  writePanel.element.hidden = state.pane !== 'write';
  trendChart.element.hidden = state.pane !== 'trend';
  decodeButton.setAttribute('aria-pressed', String(state.pane === 'decode'));
  trendButton.setAttribute('aria-pressed', String(state.pane === 'trend'));
  if (state.pane === 'trend') trendChart.schedule();
  saveState();
}

function say(text: string): void {
  status.textContent = text;
}

function describeCounts(): string {
  const shown = store.visible.length;
  const total = store.rows.length;
  return shown === total ? `${total} tag${total === 1 ? '' : 's'}` : `${shown} of ${total} tags shown`;
}

async function copyRows(rows: Parameters<typeof rowsAsTsv>[0]): Promise<void> {
  if (rows.length === 0) return;
  try {
    await host.request('clipboard.copy', { text: rowsAsTsv(rows, state.mode) });
    say(`Copied ${rows.length} row${rows.length === 1 ? '' : 's'}.`);
  } catch (error) {
    say(`Copy failed: ${(error as Error).message}`);
  }
}

async function exportCsv(): Promise<void> {
  const rows = store.visible.map((i) => store.rows[i]);
  try {
    const { path } = await host.request('export.csv', { suggestedName: 'tag-history.csv', csv: historyAsCsv(rows) }, USER_REQUEST_TIMEOUT_MS);
    if (path) say(`Exported the history of ${rows.length} tags to ${path}.`);
  } catch (error) {
    say(`Export failed: ${(error as Error).message}`);
  }
}

// ------------------------------------------------------------------ trend

/** Series of the trended tags, by row key; the host sends their longer history. */
let trendData = new Map<string, FlatHistory>();
const trendChart = new TrendChart(() => void selectTrend([]));

function applyTrend(trend: TrendSnapshot | undefined): void {
  const keys = (trend?.keys ?? []).filter((key) => store.indexOfKey(key) !== undefined);
  trendData = new Map(keys.map((key) => [key, (trend?.history[key] ?? []).map((v) => v ?? NaN)]));
  trendChart.setSeries(
    keys.map((key) => {
      const meta = store.rows[store.indexOfKey(key)!].meta;
      return { key, label: `${meta.name}${meta.unit ? ` (${meta.unit})` : ''}`, data: trendData.get(key)! };
    }),
  );
}

async function selectTrend(keys: string[]): Promise<void> {
  try {
    applyTrend(await host.request('trend.select', { keys }));
  } catch (error) {
    say(`Trend failed: ${(error as Error).message}`);
  }
}

/** Adds the selected rows to the chart (up to TREND_MAX_TAGS) and shows it; again: hides it. */
function trendSelected(): void {
  const current = trendChart.keys;
  const added = grid.selectedRows().map((row) => row.key).filter((key) => !current.includes(key));
  if (added.length === 0) return togglePane('trend');
  const keys = [...current, ...added].slice(0, TREND_MAX_TAGS);
  if (current.length + added.length > TREND_MAX_TAGS) say(`The trend shows at most ${TREND_MAX_TAGS} tags.`);
  showPane('trend');
  void selectTrend(keys);
}

async function saveWatchList(): Promise<void> {
  try {
    const { name } = await host.request('watchList.save', {}, USER_REQUEST_TIMEOUT_MS);
    if (name) say(`Saved the watch list "${name}" in bifrost.json.`);
  } catch (error) {
    say(`Saving the watch list failed: ${(error as Error).message}`);
  }
}

// ------------------------------------------------------------------ toolbar

const filterField = textField({
  label: 'Filter tags',
  placeholder: 'Filter by device, name, address, type',
  onInput: (text) => {
    state.filter = text;
    store.applyFilter(text);
    grid.refreshLayout();
    say(describeCounts());
    saveState();
  },
});
filterField.value = state.filter;
filterField.classList.add('filter');

const modeChoice = dropdown<DisplayMode>({
  label: 'Display values as',
  choices: [
    { value: 'decimal', label: 'Decimal' },
    { value: 'hex', label: 'Hex (raw)' },
    { value: 'binary', label: 'Binary (raw)' },
  ],
  value: state.mode,
  onChange: (mode) => {
    state.mode = mode;
    grid.setMode(mode);
    saveState();
  },
});
modeChoice.classList.add('mode');

const decodeButton = button({ label: 'Decode as…', secondary: true, title: 'Show the active row’s registers in every type and byte order', onClick: () => togglePane('decode') });
const writeButton = button({ label: 'Write…', secondary: true, title: 'Write a value to the active tag (Enter)', onClick: () => grid.activeRow() && togglePane('write') });
const copyButton = button({ label: 'Copy rows', secondary: true, title: 'Copy the selected rows (Ctrl+C in the table)', onClick: () => void copyRows(grid.selectedRows()) });
const exportButton = button({ label: 'Export CSV…', secondary: true, title: 'Save the history of the rows shown as CSV', onClick: () => void exportCsv() });
const trendButton = button({ label: 'Trend', secondary: true, title: 'Chart the selected rows over time', onClick: () => trendSelected() });
trendButton.classList.add('toggle-trend');
const saveListButton = button({ label: 'Save list…', secondary: true, title: 'Save these tags as a watch list in bifrost.json', onClick: () => void saveWatchList() });
saveListButton.classList.add('save-list');
const refreshButton = button({ label: 'Read now', secondary: true, title: 'Poll the watched devices now', onClick: () => host.command('refresh', {}) });
decodeButton.classList.add('toggle-decode');
writeButton.classList.add('toggle-write');

const toolbar = document.createElement('div');
toolbar.className = 'toolbar';
toolbar.setAttribute('role', 'toolbar');
toolbar.setAttribute('aria-label', 'Tag watch');
toolbar.append(filterField, modeChoice, decodeButton, writeButton, trendButton, copyButton, exportButton, saveListButton, refreshButton);

const notice = document.createElement('div');
notice.className = 'notice';
notice.hidden = true;

const panes = document.createElement('div');
panes.className = 'panes';
panes.append(decodePanel.element, writePanel.element, trendChart.element);

document.body.append(toolbar, notice, grid.element, panes, status);
grid.setMode(state.mode);
showPane(state.pane);

// ------------------------------------------------------------------ host messages

host.onNotification('snapshot', (snapshot) => {
  document.title = snapshot.title;
  store.applyFilter(state.filter);
  store.load(snapshot.rows);
  grid.refreshLayout(state.activeKey);
  // Restore the scroll position once, after the page was recreated (shown again).
  if (snapshotsSeen++ === 0) grid.scrollTop = state.scrollTop;
  writePanel.setSupport(snapshot.write);
  applyTrend(snapshot.trend);
  notice.hidden = !snapshot.notice;
  notice.textContent = snapshot.notice ?? '';
  say(describeCounts());
});

host.onNotification('values', ({ values, reads }) => {
  const moved = store.applyValues(values, performance.now()) + (reads ? store.applyReads(reads) : 0);
  if (moved > 0) grid.schedule();
  if (trendData.size === 0) return;
  let trended = 0;
  for (const value of values) {
    const series = trendData.get(rowKey(value.device, value.tag));
    if (!series) continue;
    appendPoint(series, value.ts, numericValue(value.value));
    trended++;
  }
  if (trended > 0) trendChart.schedule();
});

host.onNotification('deviceState', ({ device, state }) => {
  if (store.applyDeviceState(device, state) > 0) grid.schedule();
});

// The scroll position is saved lazily: setState on every scroll event would be wasted work.
let scrollSave: number | undefined;
grid.element.addEventListener(
  'scroll',
  () => {
    window.clearTimeout(scrollSave);
    scrollSave = window.setTimeout(() => {
      state.scrollTop = grid.scrollTop;
      saveState();
    }, 250);
  },
  { capture: true, passive: true },
);

// VS Code swaps theme variables and the body's vscode-light/dark class: recolour canvases.
new MutationObserver(() => {
  updateSparklineColours();
  grid.invalidate();
  trendChart.updateColours();
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

host.ready();
