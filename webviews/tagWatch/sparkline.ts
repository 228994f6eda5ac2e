/**
 * A row's recent history drawn on a small canvas. Canvas, not SVG: a repaint is a
 * few path calls, and no DOM nodes pile up when 40 rows redraw ten times a second.
 */
import { HISTORY_CAPACITY } from './rows';
import type { RowState } from './store';

export const SPARKLINE_WIDTH = 80;
export const SPARKLINE_HEIGHT = 14;

/** Theme colour of the line; reread when the theme changes (see main.ts). */
let lineColour = '#888';

export function updateSparklineColours(): void {
  const style = getComputedStyle(document.body);
  lineColour = style.getPropertyValue('--vscode-charts-blue').trim() || style.getPropertyValue('--vscode-foreground').trim() || '#888';
}

export function createSparkline(): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  const ratio = window.devicePixelRatio || 1;
  canvas.width = SPARKLINE_WIDTH * ratio;
  canvas.height = SPARKLINE_HEIGHT * ratio;
  canvas.className = 'sparkline';
  canvas.setAttribute('aria-hidden', 'true');
  canvas.getContext('2d')?.scale(ratio, ratio);
  return canvas;
}

export function drawSparkline(canvas: HTMLCanvasElement, row: RowState): void {
  const context = canvas.getContext('2d');
  if (!context) return;
  context.clearRect(0, 0, SPARKLINE_WIDTH, SPARKLINE_HEIGHT);
  const count = row.historyLength;
  if (count < 2) return;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < count; i++) {
    const v = row.historyValues[(row.historyStart + i) % HISTORY_CAPACITY];
    if (Number.isNaN(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === Infinity) return;
  const span = max - min || 1;
  const step = SPARKLINE_WIDTH / (HISTORY_CAPACITY - 1);
  // Right-aligned: the newest point always sits at the right edge, so lines of rows with
  // different history lengths line up in time.
  const x0 = SPARKLINE_WIDTH - (count - 1) * step;
  context.strokeStyle = lineColour;
  context.lineWidth = 1;
  context.beginPath();
  let pen = false;
  for (let i = 0; i < count; i++) {
    const v = row.historyValues[(row.historyStart + i) % HISTORY_CAPACITY];
    if (Number.isNaN(v)) {
      pen = false;
      continue;
    }
    const x = x0 + i * step;
    const y = SPARKLINE_HEIGHT - 1.5 - ((v - min) / span) * (SPARKLINE_HEIGHT - 3);
    if (pen) context.lineTo(x, y);
    else context.moveTo(x, y);
    pen = true;
  }
  context.stroke();
}
