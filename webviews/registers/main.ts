/**
 * The Registers panel's page, after Modbus Poll's window: a range of one table read
 * once or polled, each row in its own display format, writes with the frame shown
 * before it goes, rows made into tags. The host reads (it keeps polling while the
 * page is hidden no longer than the page lives) and sends a snapshot after `ready`
 * and the values of each read.
 */
import '../shared/base.css';
import './styles.css';
import { FORMAT_KINDS, FORMAT_WIDTH, parseStart, rowAddress, WORD_ORDERS, type FormatKind } from '../../gateway/api/codec/registerFormats';
import type { RegisterTableName } from '../../gateway/api/registers';
import type { WordOrder } from '../../gateway/api/config';
import { ConfirmedWrite } from '../shared/confirmedWrite';
import { HostConnection, USER_REQUEST_TIMEOUT_MS } from '../shared/hostConnection';
import { button, dropdown, registerControls, textField } from '../shared/ui';
import { RegisterGrid } from './grid';
import { POLL_CHOICES_MS } from './pollChoices';
import type { RangeSpec, RegistersProtocol } from './protocol';
import { RangeModel } from './rangeModel';

registerControls();

const host = new HostConnection<RegistersProtocol>();
const model = new RangeModel();
let readOnly: string | undefined;

const TABLES: { value: RegisterTableName; label: string }[] = [
  { value: 'holdingRegister', label: '03 Holding registers' },
  { value: 'inputRegister', label: '04 Input registers' },
  { value: 'coil', label: '01 Coils' },
  { value: 'discreteInput', label: '02 Discrete inputs' },
];
const pollLabel = (ms: number) => (ms === 0 ? 'Once' : ms < 1000 ? `${ms} ms` : `${ms / 1000} s`);

// ------------------------------------------------------------------ toolbar

let table: RegisterTableName = 'holdingRegister';
let pollMs = 1000;
const tableChoice = dropdown({ label: 'Function (table)', choices: TABLES, value: table, onChange: (value) => ((table = value), submitRange()) });
const startField = textField({ label: 'Start address', placeholder: 'start: HR:0, 0 or 40001', onInput: () => (inputComplaint = undefined), onEnter: () => submitRange() });
const countField = textField({ label: 'Count', placeholder: 'count', onInput: () => (inputComplaint = undefined), onEnter: () => submitRange() });
/**
 * What is wrong with the start or count as typed. It stays in the status line until
 * the field is edited: the next poll's "N rows, every 1 s." must not wipe it a second
 * later, while the field still shows what was refused.
 */
let inputComplaint: string | undefined;
const pollChoice = dropdown({
  label: 'Poll rate',
  choices: POLL_CHOICES_MS.map((ms) => ({ value: String(ms), label: pollLabel(ms) })),
  value: String(pollMs),
  onChange: (value) => ((pollMs = Number(value)), submitRange()),
});
const readButton = button({ label: 'Read', title: 'Read the range now (Enter in a field)', onClick: () => submitRange(true) });

let formatKind: FormatKind = 'unsigned';
let formatOrder: WordOrder = 'ABCD';
const formatChoice = dropdown({
  label: 'Format of the selected rows',
  choices: FORMAT_KINDS.map((kind) => ({ value: kind, label: FORMAT_WIDTH[kind] > 1 ? `${kind} (${FORMAT_WIDTH[kind]} rows)` : kind })),
  value: formatKind,
  onChange: (value) => ((formatKind = value), applyFormat()),
});
const orderChoice = dropdown({
  label: 'Word order of the selected rows',
  choices: WORD_ORDERS.map((order) => ({ value: order, label: order })),
  value: formatOrder,
  onChange: (value) => ((formatOrder = value), applyFormat()),
});
const addTagsButton = button({ label: 'Add as tags…', secondary: true, title: 'The selected rows as tags in bifrost.json, typed as shown', onClick: () => void addTags() });
const saveViewButton = button({ label: 'Save view…', secondary: true, title: 'Save the range, poll rate and formats in bifrost.json', onClick: () => void saveView() });

/** A control with its name before it, as Modbus Poll's read definition shows them. */
function labelled(text: string, control: HTMLElement): HTMLElement {
  const group = document.createElement('label');
  group.className = 'labelled';
  const name = document.createElement('span');
  name.textContent = text;
  group.append(name, control);
  return group;
}

startField.classList.add('start-field');
countField.classList.add('count-field');
const toolbar = document.createElement('div');
toolbar.className = 'toolbar';
const separator = document.createElement('span');
separator.className = 'toolbar-gap';
toolbar.append(
  tableChoice,
  labelled('Start', startField),
  labelled('Count', countField),
  labelled('Poll', pollChoice),
  readButton,
  separator,
  labelled('Rows as', formatChoice),
  orderChoice,
  addTagsButton,
  saveViewButton,
);

const notice = document.createElement('p');
notice.className = 'notice';
notice.hidden = true;
const status = document.createElement('p');
status.className = 'status';
status.setAttribute('role', 'status');

// ------------------------------------------------------------------ grid and write pane

const grid = new RegisterGrid(model, {
  write: (row) => startWrite(row),
  copy: (rows) => void copy(rows),
  selectionChanged: () => followSelection(),
});

const writer = new ConfirmedWrite({
  preview: async (text) => host.request('write.preview', writeRequest(text)),
  commit: async (text) => {
    const outcome = await host.request('write.commit', writeRequest(text));
    return `${outcome.summary}; read back ${outcome.readBack}.`;
  },
});
let writeRow: number | undefined;

function writeRequest(text: string) {
  if (writeRow === undefined) throw new Error('select a row to write');
  return { offset: model.range.start + writeRow, format: model.formatOf(writeRow), text };
}

function startWrite(row: number): void {
  writeRow = row;
  const format = model.formatOf(row);
  const shown = model.bits ? 'bit' : FORMAT_WIDTH[format.kind] > 1 ? `${format.kind} ${format.order}` : format.kind;
  const input = table === 'inputRegister' || table === 'discreteInput' ? 'input registers and discrete inputs are read-only by the protocol' : undefined;
  writer.follow({ heading: `Write ${model.address(row)} (${shown})`, initial: model.text(row).text.replace(/^"(.*)"$/, '$1') });
  const refused = readOnly ?? input;
  writer.refuse(refused === undefined ? undefined : `Cannot write: ${refused}`);
  writer.focus();
}

document.body.append(toolbar, notice, grid.element, writer.element, status);

// ------------------------------------------------------------------ actions

function showStatus(text: string, error = false): void {
  status.textContent = text;
  status.classList.toggle('error', error);
}

function complain(text: string): void {
  inputComplaint = text;
  showStatus(text, true);
}

function submitRange(now = false): void {
  const start = parseStart(startField.value || '0', table, model.addressBase);
  if (!start.ok) return complain(start.error);
  if (start.table !== table) {
    table = start.table;
    tableChoice.value = table;
  }
  const count = Number(countField.value || '10');
  if (!Number.isInteger(count) || count < 1) return complain(`count "${countField.value}": enter a whole number of rows, 1 or more`);
  if (start.offset + count > 0x10000) return complain(`${count} rows from ${rowAddress(table, start.offset, model.addressBase)} run past the last address (65535): at most ${0x10000 - start.offset}`);
  inputComplaint = undefined;
  const range: RangeSpec = { table, start: start.offset, count, pollMs };
  const changed = range.table !== model.range.table || range.start !== model.range.start || range.count !== model.range.count;
  model.setRange(range);
  if (changed) grid.resetSelection();
  grid.refresh();
  host.command('range.set', range);
  if (now && !changed) host.command('range.read', {});
  showStatus(pollMs === 0 ? 'Reading once…' : `Reading every ${pollLabel(pollMs)}…`);
}

function applyFormat(): void {
  if (model.bits) return showStatus('coils and discrete inputs are bits: they have no formats', true);
  const rows = grid.selection();
  const width = FORMAT_WIDTH[formatKind];
  // A value over several rows starts on each selected row that is not covered by the one before.
  const starts: number[] = [];
  for (const row of rows) if (starts.length === 0 || row >= starts[starts.length - 1] + width) starts.push(row);
  model.setFormat(rows, { kind: 'unsigned', order: 'ABCD' });
  model.setFormat(starts, { kind: formatKind, order: formatOrder });
  host.command('formats.set', { formats: model.formatEntries() });
  grid.refresh();
}

function followSelection(): void {
  const format = model.formatOf(model.ownerOf(grid.active));
  formatKind = format.kind;
  formatOrder = format.order;
  formatChoice.value = format.kind;
  orderChoice.value = format.order;
  if (writeRow !== undefined && writeRow !== model.ownerOf(grid.active)) startWrite(model.ownerOf(grid.active));
}

async function copy(rows: number[]): Promise<void> {
  try {
    await host.request('clipboard.copy', { text: model.asTsv(rows) });
    showStatus(`Copied ${rows.length} row(s) as TSV.`);
  } catch (error) {
    showStatus(`Copy failed: ${(error as Error).message}`, true);
  }
}

async function addTags(): Promise<void> {
  const owners = [...new Set(grid.selection().map((row) => model.ownerOf(row)))];
  if (owners.length === 0) return showStatus('select the rows to add as tags', true);
  try {
    const { added } = await host.request('tags.add', { rows: owners.map((row) => ({ offset: model.range.start + row, format: model.formatOf(row) })) }, USER_REQUEST_TIMEOUT_MS);
    showStatus(added.length > 0 ? `Added ${added.join(', ')} to bifrost.json.` : 'No tags added.');
  } catch (error) {
    showStatus(`Cannot add tags: ${(error as Error).message}`, true);
  }
}

async function saveView(): Promise<void> {
  try {
    const { name } = await host.request('view.save', {}, USER_REQUEST_TIMEOUT_MS);
    if (name) showStatus(`Saved as view "${name}" in bifrost.json.`);
  } catch (error) {
    showStatus(`Cannot save the view: ${(error as Error).message}`, true);
  }
}

function describeRead(): string {
  const failed = model.slots.filter((slot) => slot.error !== undefined);
  // Refused means an exception reply; rows the device did not answer (or that never reached it) are only not read.
  const refused = failed.filter((slot) => slot.exceptionCode !== undefined).length;
  const unread = failed.length - refused;
  const when = pollMs === 0 ? 'read once' : `every ${pollLabel(pollMs)}`;
  const problems = [refused > 0 ? `${refused} refused by the device` : '', unread > 0 ? `${unread} not read` : ''].filter(Boolean).join(', ');
  return problems === '' ? `${model.slots.length} rows, ${when}.` : `${model.slots.length} rows, ${when}; ${problems} (see the rows).`;
}

// ------------------------------------------------------------------ from the host

host.onNotification('snapshot', (snapshot) => {
  document.title = snapshot.title;
  model.addressBase = snapshot.addressBase;
  readOnly = snapshot.readOnly;
  table = snapshot.range.table;
  pollMs = snapshot.range.pollMs;
  tableChoice.value = table;
  pollChoice.value = String(pollMs);
  model.setRange(snapshot.range);
  model.setFormats(snapshot.formats);
  model.apply(snapshot.chunks);
  startField.value = model.address(0);
  countField.value = String(snapshot.range.count);
  inputComplaint = undefined;
  notice.hidden = snapshot.notice === undefined;
  notice.textContent = snapshot.notice ?? '';
  grid.refresh();
  showStatus(snapshot.chunks.length > 0 ? describeRead() : `${snapshot.label}: reading…`);
});

host.onNotification('values', ({ range, chunks, notice: why }) => {
  if (range.table !== model.range.table || range.start !== model.range.start || range.count !== model.range.count) return;
  model.apply(chunks);
  notice.hidden = why === undefined;
  notice.textContent = why ?? '';
  grid.refresh();
  if (inputComplaint === undefined) showStatus(describeRead());
});

host.ready();
grid.element.focus();
