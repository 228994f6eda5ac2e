/**
 * The trend pane: selected tags over a chosen window (1, 5 or 15 min) on one canvas,
 * with pause (the chart stops moving; values keep arriving and show on resume) and
 * zoom (buttons, or the mouse wheel over the chart). Colours come from the theme's
 * --vscode-charts-* variables and are reread when the theme changes. At most one
 * paint per animation frame; the canvas's data-* attributes say what was drawn, for
 * tests and for anyone inspecting the page.
 */
import { formatDecimal, formatTime } from '../shared/format';
import { button, dropdown } from '../shared/ui';
import { niceTicks, spanMs, stepZoom, TREND_WINDOWS, valueRange, type FlatHistory, type TrendView } from './trendData';

const SERIES_COLOURS = ['blue', 'orange', 'green', 'purple', 'red', 'yellow'].map((c) => `--vscode-charts-${c}`);
const FALLBACK = ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700'];
const MARGIN = { left: 64, right: 12, top: 10, bottom: 22 };

export interface TrendSeries {
  key: string;
  label: string;
  data: FlatHistory;
}

export class TrendChart {
  readonly element: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  private readonly legend: HTMLElement;
  private readonly pauseButton;
  private readonly zoomLabel: HTMLElement;
  private series: TrendSeries[] = [];
  private view: TrendView = { end: Date.now(), windowMs: TREND_WINDOWS[1].ms, zoom: 1 };
  private paused = false;
  private frameRequested = false;
  private colours: string[] = FALLBACK;
  private axis = { text: '#888', grid: 'rgba(128,128,128,0.25)' };

  constructor(private readonly onClear: () => void) {
    this.element = document.createElement('section');
    this.element.className = 'pane trend-pane';
    this.element.setAttribute('aria-label', 'Trend');
    const heading = document.createElement('h2');
    heading.textContent = 'Trend';
    const windowChoice = dropdown<string>({
      label: 'Trend window',
      choices: TREND_WINDOWS.map((w) => ({ value: String(w.ms), label: `Last ${w.label}` })),
      value: String(this.view.windowMs),
      onChange: (ms) => this.setWindow(Number(ms)),
    });
    windowChoice.classList.add('trend-window');
    this.pauseButton = button({ label: 'Pause', secondary: true, title: 'Stop the chart moving (values keep being recorded)', onClick: () => this.setPaused(!this.paused) });
    this.pauseButton.classList.add('trend-pause');
    const zoomIn = button({ label: 'Zoom in', secondary: true, title: 'Show half the time span (or scroll up over the chart)', onClick: () => this.zoom(1) });
    zoomIn.classList.add('trend-zoom-in');
    const zoomOut = button({ label: 'Zoom out', secondary: true, title: 'Show twice the time span (or scroll down over the chart)', onClick: () => this.zoom(-1) });
    zoomOut.classList.add('trend-zoom-out');
    const clear = button({ label: 'Clear trend', secondary: true, title: 'Remove every tag from the chart', onClick: () => this.onClear() });
    clear.classList.add('trend-clear');
    this.zoomLabel = document.createElement('span');
    this.zoomLabel.className = 'trend-span';
    const controls = document.createElement('div');
    controls.className = 'pane-controls';
    controls.append(windowChoice, this.pauseButton, zoomIn, zoomOut, this.zoomLabel, clear);
    this.legend = document.createElement('ul');
    this.legend.className = 'trend-legend';
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'trend-canvas';
    this.canvas.setAttribute('role', 'img');
    this.element.append(heading, controls, this.legend, this.canvas);
    this.canvas.addEventListener(
      'wheel',
      (event) => {
        event.preventDefault();
        this.zoom(event.deltaY < 0 ? 1 : -1);
      },
      { passive: false },
    );
    new ResizeObserver(() => this.schedule()).observe(this.canvas);
    // While live the time axis moves even when no value changes.
    window.setInterval(() => !this.paused && !this.element.hidden && this.series.length > 0 && this.schedule(), 1000);
    this.updateColours();
    this.describe();
  }

  get keys(): string[] {
    return this.series.map((s) => s.key);
  }

  setSeries(series: TrendSeries[]): void {
    this.series = series;
    this.legend.replaceChildren(
      ...series.map((s, i) => {
        const item = document.createElement('li');
        const swatch = document.createElement('span');
        swatch.className = `swatch swatch-${i % SERIES_COLOURS.length}`;
        item.append(swatch, document.createTextNode(s.label));
        return item;
      }),
    );
    if (series.length === 0) this.legend.textContent = 'Select rows in the table, then Trend, to chart them here.';
    this.schedule();
  }

  setWindow(ms: number): void {
    this.view.windowMs = ms;
    this.schedule();
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
    this.pauseButton.textContent = paused ? 'Resume' : 'Pause';
    this.pauseButton.setAttribute('aria-pressed', String(paused));
    this.schedule();
  }

  zoom(direction: 1 | -1): void {
    this.view.zoom = stepZoom(this.view.zoom, direction);
    this.schedule();
  }

  updateColours(): void {
    const style = getComputedStyle(document.body);
    const read = (name: string): string => style.getPropertyValue(name).trim();
    this.colours = SERIES_COLOURS.map((name, i) => read(name) || FALLBACK[i]);
    this.axis = { text: read('--vscode-descriptionForeground') || read('--vscode-foreground') || '#888', grid: read('--vscode-panel-border') || 'rgba(128,128,128,0.25)' };
    this.schedule();
  }

  schedule(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      if (!this.element.hidden) this.paint();
    });
  }

  private describe(points = 0, last = 0): void {
    const span = spanMs(this.view);
    this.zoomLabel.textContent = span >= 60_000 ? `${formatDecimal(span / 60_000)} min shown` : `${formatDecimal(span / 1000)} s shown`;
    const names = this.series.map((s) => s.label).join(', ') || 'no tags';
    this.canvas.setAttribute('aria-label', `Trend of ${names} over ${this.zoomLabel.textContent}${this.paused ? ', paused' : ''}`);
    Object.assign(this.canvas.dataset, { spanMs: String(span), end: String(this.view.end), points: String(points), last: String(last), paused: String(this.paused) });
  }

  private paint(): void {
    if (!this.paused) this.view.end = Date.now();
    const ratio = window.devicePixelRatio || 1;
    const width = this.canvas.clientWidth;
    const height = this.canvas.clientHeight;
    if (this.canvas.width !== Math.round(width * ratio) || this.canvas.height !== Math.round(height * ratio)) {
      this.canvas.width = Math.round(width * ratio);
      this.canvas.height = Math.round(height * ratio);
    }
    const context = this.canvas.getContext('2d');
    if (!context || width === 0 || height === 0) return this.describe();
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, height);
    const to = this.view.end;
    const from = to - spanMs(this.view);
    const plot = { x: MARGIN.left, y: MARGIN.top, w: width - MARGIN.left - MARGIN.right, h: height - MARGIN.top - MARGIN.bottom };
    const range = valueRange(
      this.series.map((s) => s.data),
      from,
      to,
    ) ?? { min: 0, max: 1 };
    const x = (ts: number): number => plot.x + ((ts - from) / (to - from)) * plot.w;
    const y = (v: number): number => plot.y + plot.h - ((v - range.min) / (range.max - range.min)) * plot.h;

    context.font = `11px ${getComputedStyle(document.body).fontFamily}`;
    context.lineWidth = 1;
    context.strokeStyle = this.axis.grid;
    context.fillStyle = this.axis.text;
    context.textBaseline = 'middle';
    context.textAlign = 'right';
    for (const tick of niceTicks(range.min, range.max)) {
      const ty = Math.round(y(tick)) + 0.5;
      context.beginPath();
      context.moveTo(plot.x, ty);
      context.lineTo(plot.x + plot.w, ty);
      context.stroke();
      context.fillText(formatDecimal(tick), plot.x - 6, ty);
    }
    context.textAlign = 'center';
    context.textBaseline = 'top';
    for (let i = 0; i <= 4; i++) {
      const ts = from + ((to - from) * i) / 4;
      context.fillText(formatTime(ts).replace(/\.\d+$/, ''), Math.min(Math.max(x(ts), plot.x + 30), plot.x + plot.w - 30), plot.y + plot.h + 5);
    }
    context.strokeRect(plot.x + 0.5, plot.y + 0.5, plot.w, plot.h);

    let points = 0;
    let last = 0;
    context.save();
    context.beginPath();
    context.rect(plot.x, plot.y, plot.w, plot.h);
    context.clip();
    context.lineWidth = 1.5;
    this.series.forEach((s, index) => {
      context.strokeStyle = this.colours[index % this.colours.length];
      context.beginPath();
      let pen = false;
      for (let i = 0; i + 1 < s.data.length; i += 2) {
        const ts = s.data[i];
        const v = s.data[i + 1];
        if (v === null || Number.isNaN(v)) {
          pen = false;
          continue;
        }
        // One point either side of the span, so lines run to the edges.
        const next = s.data[i + 2];
        if (ts < from && next !== undefined && next < from) continue;
        if (ts > to) break;
        if (pen) context.lineTo(x(ts), y(v));
        else context.moveTo(x(ts), y(v));
        pen = true;
        if (ts >= from) points++;
        last = Math.max(last, ts);
      }
      context.stroke();
    });
    context.restore();
    this.describe(points, last);
  }
}
