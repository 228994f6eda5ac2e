/**
 * A proxy exchange in the detail pane, for the selected frame: its legs in capture
 * order (the client's request, the request to the device, the device's reply, the
 * reply to the client), each with its time and the time since the first leg; then
 * the time each hop took; and a button that filters the list to the exchange (or
 * back to every frame).
 *
 * Each leg is a button that selects its frame, so Tab and Enter walk the exchange.
 * The legs are built again only when the exchange changes (a leg arrived or left
 * the ring); moving the selection along them just moves the marker, so the focused
 * button stays where it is.
 */
import { formatTime } from '../shared/format';
import { button } from '../shared/ui';
import { isProxyLink, proxyClient, type Exchange, type ExchangeLeg, type LegRole } from './store';

export interface ExchangeViewEvents {
  /** A leg was chosen: select its frame. */
  select(id: number): void;
  /** Show only this exchange's frames, or (undefined) every frame again. */
  filterTo(correlation: string | undefined): void;
}

const HOPS = [
  { key: 'forwardMs', id: 'forward', label: 'Client → device (forwarding)' },
  { key: 'deviceRoundTripMs', id: 'device', label: 'Device round trip' },
  { key: 'returnMs', id: 'return', label: 'Device → client (reply)' },
  { key: 'totalMs', id: 'total', label: 'Total, as the client saw it' },
] as const;

const ROLES: readonly LegRole[] = ['client request', 'device request', 'device reply', 'client reply'];

/** Milliseconds with two decimals below 10 ms (a proxy's own hops are often well under one), else one. */
export function formatMs(ms: number): string {
  return `${ms.toFixed(Math.abs(ms) < 10 ? 2 : 1)} ms`;
}

/** Where a leg went to or came from: the proxy's client, or the device. */
function peer(leg: ExchangeLeg): string {
  const frame = leg.row.frame;
  if (isProxyLink(frame.link)) return `${frame.direction === 'rx' ? 'from' : 'to'} client ${proxyClient(frame.link)}`;
  return `${frame.direction === 'tx' ? 'to' : 'from'} ${frame.device ?? frame.link}`;
}

export class ExchangeView {
  readonly element: HTMLElement;
  private readonly title: HTMLDivElement;
  private readonly filterButton: HTMLElement & { disabled: boolean };
  private readonly legs: HTMLTableSectionElement;
  private readonly hops: HTMLDListElement;
  private readonly missing: HTMLParagraphElement;
  private signature = '';
  private correlation: string | undefined;
  private filtered = false;
  private buttons = new Map<number, HTMLButtonElement>();

  constructor(private readonly events: ExchangeViewEvents) {
    this.element = document.createElement('section');
    this.element.className = 'exchange';
    this.element.setAttribute('aria-label', 'Proxy exchange');
    this.element.hidden = true;

    const top = document.createElement('div');
    top.className = 'exchange-top';
    this.title = document.createElement('div');
    this.title.className = 'exchange-title';
    this.filterButton = button({
      label: 'Show only this exchange',
      secondary: true,
      title: 'Filter the list to this exchange’s frames (sets the filter text to its correlation)',
      onClick: () => this.events.filterTo(this.filtered ? undefined : this.correlation),
    });
    this.filterButton.classList.add('exchange-filter');
    top.append(this.title, this.filterButton);

    const table = document.createElement('table');
    table.className = 'legs';
    const head = table.createTHead().insertRow();
    for (const text of ['Leg', 'Frame', 'Time', 'Since first leg']) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = text;
      head.append(th);
    }
    this.legs = table.createTBody();

    this.hops = document.createElement('dl');
    this.hops.className = 'hops';
    this.hops.setAttribute('aria-label', 'Time each hop took');
    this.missing = document.createElement('p');
    this.missing.className = 'legs-missing';

    this.element.append(top, table, this.hops, this.missing);
  }

  /** The exchange of the selected frame (hidden when there is none). */
  show(exchange: Exchange | undefined, selectedId: number | undefined, filtered: boolean): void {
    this.element.hidden = !exchange;
    this.correlation = exchange?.correlation;
    this.filtered = filtered && exchange !== undefined;
    const label = this.filtered ? 'Show all frames' : 'Show only this exchange';
    if (this.filterButton.textContent !== label) this.filterButton.textContent = label;
    this.filterButton.setAttribute('aria-pressed', String(this.filtered));
    if (!exchange) {
      this.signature = '';
      return;
    }
    const signature = JSON.stringify([exchange.correlation, exchange.legs.map((l) => [l.row.frame.id, l.role]), HOPS.map((h) => exchange[h.key])]);
    if (signature !== this.signature) {
      this.signature = signature;
      this.render(exchange);
    }
    for (const [id, element] of this.buttons) {
      if (id === selectedId) element.setAttribute('aria-current', 'true');
      else element.removeAttribute('aria-current');
      element.closest('tr')?.classList.toggle('current', id === selectedId);
    }
  }

  private render(exchange: Exchange): void {
    // A proxy marks "proxy NAME #N"; the Frame Debugger's own replays and sends "replay #N", "sent #N".
    const byProxy = exchange.correlation.startsWith('proxy ');
    this.title.textContent = byProxy ? `Proxy exchange ${exchange.correlation}` : `Exchange: ${exchange.correlation}`;
    this.title.title = byProxy
      ? 'Frames the proxy marked with this correlation, and the device’s reply paired with its request'
      : 'The request the Frame Debugger sent, and the device’s reply paired with it';
    const start = exchange.legs[0]?.row.frame.ts ?? 0;
    const attempts = exchange.legs.filter((l) => l.role === 'device request').length;
    let attempt = 0;
    this.buttons = new Map();
    const rows = exchange.legs.map((leg) => {
      const frame = leg.row.frame;
      const tr = document.createElement('tr');
      tr.dataset.id = String(frame.id);
      tr.dataset.role = leg.role;
      const role = document.createElement('td');
      const select = document.createElement('button');
      select.type = 'button';
      select.className = 'leg-select';
      const retry = leg.role === 'device request' && attempts > 1 ? ` (attempt ${++attempt})` : '';
      select.textContent = `${leg.role[0].toUpperCase()}${leg.role.slice(1)}${retry} ${peer(leg)}`;
      select.title = `Select frame #${frame.id}`;
      select.addEventListener('click', () => this.events.select(frame.id));
      this.buttons.set(frame.id, select);
      role.append(select);
      const id = document.createElement('td');
      id.textContent = `#${frame.id}`;
      const time = document.createElement('td');
      time.className = 'num';
      time.textContent = formatTime(frame.ts);
      const since = document.createElement('td');
      since.className = 'num';
      since.textContent = `+${formatMs(frame.ts - start)}`;
      tr.append(role, id, time, since);
      return tr;
    });
    this.legs.replaceChildren(...rows);

    this.hops.replaceChildren(
      ...HOPS.filter((hop) => exchange[hop.key] !== undefined).map((hop) => {
        const group = document.createElement('div');
        group.className = 'hop';
        group.dataset.hop = hop.id;
        const dt = document.createElement('dt');
        dt.textContent = hop.label;
        const dd = document.createElement('dd');
        dd.textContent = formatMs(exchange[hop.key]!);
        group.append(dt, dd);
        return group;
      }),
    );

    const present = new Set(exchange.legs.map((l) => l.role));
    const absent = ROLES.filter((role) => !present.has(role));
    this.missing.hidden = absent.length === 0;
    this.missing.textContent = absent.length === 0 ? '' : `Not in the list: ${absent.join(', ')}.`;
    this.missing.title = 'Dropped from the ring, not arrived yet, or never sent: a proxy answers from its cache, or refuses a request, without asking the device.';
  }
}
