/**
 * The Frame Debugger page: filters and actions on top, the live frame list, and below
 * it the selected frame (field tree beside hex dump), replay and send. Frames come
 * from the host as a snapshot (after `ready`, and whenever the panel is shown again)
 * and then as batches; decoding is the gateway's decoder, asked per frame on demand.
 * A frame of a proxy exchange also shows the whole exchange (exchangeView.ts).
 */
import '../shared/base.css';
import './styles.css';
import type { ExchangeResult } from '../../gateway/api/capture';
import type { DecodedFrame } from '../../gateway/api/frames';
import { HostConnection, USER_REQUEST_TIMEOUT_MS } from '../shared/hostConnection';
import { button, checkbox, dropdown, registerControls, textField, type DropdownControl } from '../shared/ui';
import { getState, setState } from '../shared/vscodeApi';
import { ExchangeView } from './exchangeView';
import { FrameList } from './frameList';
import { FrameView } from './frameView';
import { SendBox } from './sendBox';
import type { FrameDebuggerProtocol } from './protocol';
import { FrameStore, isNoReplyMarker, isProxyLink, NO_FILTER, proxyClient, type FrameFilter, type FrameRow } from './store';

registerControls();

const state = getState<{ filter: FrameFilter }>({ filter: { ...NO_FILTER } });
const host = new HostConnection<FrameDebuggerProtocol>();
const store = new FrameStore();
store.setFilter(state.filter);
const decoded = new Map<number, DecodedFrame>();
const decoding = new Set<number>();

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
}

/** The gateway's decoder for one captured frame, cached by frame id. */
async function decode(row: FrameRow): Promise<DecodedFrame> {
  const cached = decoded.get(row.frame.id);
  if (cached) return cached;
  const result = await host.request('frames.decode', {
    hex: row.frame.hex,
    framing: row.framing,
    direction: row.request ? 'request' : 'response',
  });
  decoded.set(row.frame.id, result);
  store.setDecoded(row.frame.id, result.summary, result.problems);
  return result;
}

const list = new FrameList(store, {
  onSelect: (row) => void showSelected(row),
  needSummary: (row) => {
    if (decoding.has(row.frame.id)) return;
    decoding.add(row.frame.id);
    decode(row).then(
      () => list.schedule(),
      () => undefined,
    );
  },
});

// ------------------------------------------------------------------ toolbar

const status = document.createElement('div');
status.className = 'status';
status.setAttribute('role', 'status');
// Counts change with every batch; the outcome of an action (export, clear) stays beside them.
const counts = document.createElement('span');
counts.className = 'counts';
const message = document.createElement('span');
message.className = 'message';
status.append(counts, message);

function saveFilter(change: Partial<FrameFilter>): void {
  store.setFilter(change);
  state.filter = store.currentFilter;
  setState(state);
  list.schedule();
  describe();
  refreshExchange();
}

/** The gateway ring's drops by device, from the last snapshot. */
let droppedBy: Record<string, number> = {};

function describe(): void {
  const shown = store.visible.length;
  const total = store.rows.length;
  const held = store.paused ? ` · paused, ${store.heldCount} waiting` : '';
  const dropped = store.dropped > 0 ? ` · ${store.dropped} older dropped` : '';
  counts.textContent = `${shown === total ? `${total}` : `${shown} of ${total}`} frames (ring holds ${store.capacity})${held}${dropped}`;
  // Each device has its share of the ring: say whose frames made room, busiest first.
  const byDevice = Object.entries(droppedBy).sort((a, b) => b[1] - a[1]);
  counts.title =
    byDevice.length === 0 ? '' : `Dropped by the gateway's ring to keep every device's share: ${byDevice.map(([device, n]) => `${device} ${n.toLocaleString('en')}`).join(', ')}`;
}

const toolbar = document.createElement('div');
toolbar.className = 'toolbar';
toolbar.setAttribute('role', 'toolbar');
toolbar.setAttribute('aria-label', 'Frame debugger');

/** The toolkit's dropdown has fixed options: a changed list of choices makes a new one in place. */
function choiceSlot<V extends string>(label: string, current: () => V, onChange: (value: V) => void, className: string) {
  let control: DropdownControl<V> | undefined;
  let signature = '';
  return (choices: { value: V; label: string }[]): DropdownControl<V> => {
    const next = JSON.stringify(choices);
    if (control && next === signature) return control;
    signature = next;
    const made = dropdown<V>({ label, choices, value: current(), onChange });
    made.classList.add(className);
    if (control) control.replaceWith(made);
    control = made;
    return made;
  };
}

const deviceChoice = choiceSlot<string>('Filter by device', () => store.currentFilter.device, (device) => saveFilter({ device }), 'filter-device');
const functionChoice = choiceSlot<string>('Filter by function code', () => store.currentFilter.functionCode, (functionCode) => saveFilter({ functionCode }), 'filter-function');
let knownDevices: string[] = [];

function refreshChoices(): void {
  const devices = [...new Set([...knownDevices, ...store.devices()])].sort();
  deviceChoice([{ value: '', label: 'All devices' }, ...devices.map((d) => ({ value: d, label: d }))]);
  const codes = new Set(store.functionCodes());
  const selected = store.currentFilter.functionCode;
  if (selected) codes.add(Number(selected));
  functionChoice([{ value: '', label: 'All functions' }, ...[...codes].sort((a, b) => a - b).map((c) => ({ value: String(c), label: `FC ${c}` }))]);
  sendDeviceChoice(devices.map((d) => ({ value: d, label: d })));
}

const directionChoice = dropdown<FrameFilter['direction']>({
  label: 'Filter by direction',
  choices: [
    { value: '', label: 'Both directions' },
    { value: 'tx', label: 'Requests' },
    { value: 'rx', label: 'Responses' },
  ],
  value: state.filter.direction,
  onChange: (direction) => saveFilter({ direction }),
});
const errorsBox = checkbox({ label: 'Errors only', checked: state.filter.errorsOnly, onChange: (errorsOnly) => saveFilter({ errorsOnly }) });
errorsBox.classList.add('filter-errors');
const textFilter = textField({ label: 'Filter frames', placeholder: 'Filter: device, summary, error, hex bytes, exchange (#12)', onInput: (text) => saveFilter({ text }) });
textFilter.value = state.filter.text;
textFilter.classList.add('filter-text');

const pauseButton = button({
  label: 'Pause',
  secondary: true,
  title: 'Stop the list moving; frames that arrive meanwhile are kept (up to the ring’s bound)',
  onClick: () => {
    store.setPaused(!store.paused);
    pauseButton.textContent = store.paused ? 'Resume' : 'Pause';
    pauseButton.setAttribute('aria-pressed', String(store.paused));
    refreshChoices();
    list.schedule();
    describe();
  },
});
pauseButton.classList.add('pause');
const clearButton = button({
  label: 'Clear',
  secondary: true,
  title: 'Empty the gateway’s capture ring and this list',
  onClick: () => {
    store.clear();
    decoded.clear();
    message.textContent = '';
    list.select(undefined);
    list.schedule();
    describe();
    host.request('capture.clear', {}).catch((error: Error) => (message.textContent = ` · Clear failed: ${error.message}`));
  },
});
const exportButton = button({
  label: 'Export pcap…',
  secondary: true,
  title: 'Save the capture (this device’s, when filtered to one) as a pcap file for Wireshark',
  onClick: () => void exportPcap(),
});
exportButton.classList.add('export');
const recordButton = button({
  label: 'Record…',
  secondary: true,
  title: 'The gateway writes every frame to pcapng files until you stop it (Bifrost: Stop Recording): a long session keeps what this list forgets',
  onClick: () => void recordToDisk(),
});
recordButton.classList.add('record');

async function recordToDisk(): Promise<void> {
  try {
    const { path } = await host.request('capture.record', {}, USER_REQUEST_TIMEOUT_MS);
    if (path) message.textContent = ` · Recording every frame to ${path}.`;
  } catch (error) {
    message.textContent = ` · Recording failed: ${(error as Error).message}`;
  }
}

async function exportPcap(): Promise<void> {
  const device = store.currentFilter.device;
  try {
    const { path, frames } = await host.request('capture.exportPcap', device ? { device } : {}, USER_REQUEST_TIMEOUT_MS);
    if (path) message.textContent = ` · Exported ${frames} frames to ${path}.`;
  } catch (error) {
    message.textContent = ` · Export failed: ${(error as Error).message}`;
  }
}

const notice = document.createElement('div');
notice.className = 'notice';
notice.hidden = true;

// ------------------------------------------------------------------ detail, replay, send

const detail = document.createElement('section');
detail.className = 'detail';
detail.setAttribute('aria-label', 'Selected frame');
const selectedView = new FrameView('Selected frame');
selectedView.clear('Select a frame to see its fields and bytes.');

/** The selected frame's proxy exchange, by correlation: it stays while any of its legs is in the list. */
let exchangeCorrelation: string | undefined;
const exchangeView = new ExchangeView({
  select: (id) => list.select(id),
  filterTo: (correlation) => filterToExchange(correlation),
});

function refreshExchange(): void {
  const filtered = exchangeCorrelation !== undefined && store.currentFilter.text.trim().toLowerCase() === exchangeCorrelation.toLowerCase();
  exchangeView.show(store.exchange(exchangeCorrelation), list.selectedId, filtered);
}

/** The list filtered to one exchange (every other filter off, so no leg is hidden), or (undefined) the text filter cleared. */
function filterToExchange(correlation: string | undefined): void {
  saveFilter(correlation === undefined ? { text: '' } : { ...NO_FILTER, text: correlation });
  const filter = store.currentFilter;
  if (textFilter.value !== filter.text) textFilter.value = filter.text;
  if (errorsBox.checked !== filter.errorsOnly) errorsBox.checked = filter.errorsOnly;
  if (directionChoice.value !== filter.direction) directionChoice.value = filter.direction;
  for (const [selector, value] of [['.filter-device', filter.device], ['.filter-function', filter.functionCode]] as const) {
    const control = toolbar.querySelector<DropdownControl<string>>(selector);
    if (control && control.value !== value) control.value = value;
  }
  // Keep the selected leg in view in the list as it is now.
  if (list.selectedId !== undefined) list.select(list.selectedId);
}

const replayButton = button({ label: 'Replay request', secondary: true, title: 'Send this request again to its device', onClick: () => void replay() });
replayButton.classList.add('replay');
replayButton.disabled = true;
const comparison = document.createElement('div');
comparison.className = 'comparison';
comparison.hidden = true;
const oldView = new FrameView('Captured response');
const newView = new FrameView('New response');
comparison.append(oldView.element, newView.element);

const sendDeviceSlot = choiceSlot<string>('Device to send to', () => sendDevice, (device) => ((sendDevice = device), sendBox.deviceChanged()), 'send-device');
let sendDevice = '';
const sendBox = new SendBox(host, () => sendDevice);
function sendDeviceChoice(choices: { value: string; label: string }[]): void {
  if (!sendDevice && choices[0]) sendDevice = choices[0].value;
  const control = sendDeviceSlot(choices);
  if (!control.isConnected) sendBox.form.prepend(control);
}

detail.append(exchangeView.element, replayButton, selectedView.element, comparison);

/** "#5 request to Demo", "#6 request from client 127.0.0.1:50412 of proxy plc", … */
function frameHeading(row: FrameRow): string {
  const f = row.frame;
  if (isProxyLink(f.link)) {
    const proxy = /^proxy:\/\/([^/]*)/.exec(f.link)?.[1] ?? '';
    const via = ` of proxy ${proxy}${f.device ? `, forwarded to ${f.device}` : ''}`;
    return `#${f.id} ${row.request ? 'request from' : 'reply to'} client ${proxyClient(f.link)}${via}`;
  }
  return `#${f.id} ${row.request ? 'request to' : 'response from'} ${f.device ?? f.link}`;
}

let showing = 0;
async function showSelected(row: FrameRow | undefined): Promise<void> {
  const ticket = ++showing;
  comparison.hidden = true;
  // Only a request the gateway sent to a device can be sent again (not a proxy client's).
  replayButton.disabled = !row || !row.request || row.frame.direction !== 'tx' || row.frame.device === undefined;
  exchangeCorrelation = row?.correlation;
  refreshExchange();
  if (!row) return selectedView.clear('Select a frame to see its fields and bytes.');
  const injected = row.injected === undefined ? '' : ` — fault injected by the simulator: ${row.injected}`;
  if (isNoReplyMarker(row.frame)) {
    const request = row.pair ? ` to request #${row.pair.frame.id}` : '';
    selectedView.clear(`#${row.frame.id} no reply from ${row.frame.device ?? row.frame.link}${request}: ${row.frame.note ?? 'the device did not answer'}${injected}`);
    list.schedule();
    return;
  }
  const heading = `${frameHeading(row)}${row.noReply && row.request ? ` — ${row.error ?? 'no reply'}` : ''}${injected}`;
  selectedView.show(hexBytes(row.frame.hex), decoded.get(row.frame.id), heading);
  try {
    const result = await decode(row);
    if (ticket === showing) selectedView.show(hexBytes(row.frame.hex), result, heading);
  } catch (error) {
    if (ticket === showing) selectedView.show(hexBytes(row.frame.hex), undefined, `${heading} — could not decode: ${(error as Error).message}`);
  }
  list.schedule();
}

function showExchange(view: FrameView, result: ExchangeResult, label: string): void {
  if (result.response) {
    const rtt = result.roundTripMs === undefined ? '' : ` in ${result.roundTripMs.toFixed(1)} ms`;
    view.show(hexBytes(result.response.hex), result.response.decoded, `${label}${rtt}`);
  } else {
    view.clear(`${label}: ${result.error ?? 'no reply'}`);
  }
}

async function replay(): Promise<void> {
  const row = list.selected();
  if (!row) return;
  replayButton.disabled = true;
  comparison.hidden = false;
  const old = row.pair;
  if (old) oldView.show(hexBytes(old.frame.hex), await decode(old).catch(() => undefined), `Captured response #${old.frame.id}`);
  else oldView.clear('Captured response: none in the list');
  newView.clear('New response: waiting…');
  try {
    showExchange(newView, await host.request('capture.replay', { frameId: row.frame.id }), 'New response');
  } catch (error) {
    newView.clear(`Replay refused: ${(error as Error).message}`);
  } finally {
    replayButton.disabled = false;
  }
}

toolbar.append(textFilter, deviceChoice([{ value: '', label: 'All devices' }]), functionChoice([{ value: '', label: 'All functions' }]), directionChoice, errorsBox, pauseButton, clearButton, exportButton, recordButton);
const lower = document.createElement('div');
lower.className = 'lower';
// The Send row sits outside the scrolling detail, so it stays in view whatever frame is selected.
lower.append(detail, sendBox.result);
document.body.append(toolbar, notice, list.element, status, sendBox.form, lower);

// ------------------------------------------------------------------ host messages

host.onNotification('snapshot', (snapshot) => {
  droppedBy = snapshot.droppedBy ?? {};
  store.load(snapshot.frames, snapshot.capacity, snapshot.dropped);
  knownDevices = snapshot.devices;
  if (snapshot.focusDevice && !state.filter.device) saveFilter({ device: snapshot.focusDevice });
  notice.hidden = !snapshot.notice;
  notice.textContent = snapshot.notice ?? '';
  refreshChoices();
  list.schedule();
  describe();
  refreshExchange();
});

host.onNotification('frames', ({ frames }) => {
  const before = store.functionCodes().length + store.devices().length;
  store.add(frames);
  if (store.functionCodes().length + store.devices().length !== before) refreshChoices();
  list.schedule();
  describe();
  // The selected exchange's later legs arrive in later batches (and old ones leave the ring).
  if (exchangeCorrelation !== undefined) refreshExchange();
});

host.ready();
