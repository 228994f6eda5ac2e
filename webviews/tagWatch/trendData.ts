/**
 * The trend chart's data, no DOM: a time-bounded series per trended tag, and the
 * maths of the view (which time span is shown, the value range, pixel mapping).
 * The host keeps TREND_HISTORY_MS of history for trended tags, so a window chosen
 * after the fact (15 min) still fills from the past.
 */
export const TREND_HISTORY_MS = 15 * 60_000;
/** 15 minutes at 20 Hz: more points than any poll rate the gateway runs. */
export const TREND_MAX_POINTS = 18_000;
export const TREND_MAX_TAGS = 8;
export const TREND_WINDOWS = [
  { ms: 60_000, label: '1 min' },
  { ms: 5 * 60_000, label: '5 min' },
  { ms: 15 * 60_000, label: '15 min' },
] as const;
export const ZOOM_LEVELS = [1, 2, 4, 8, 16, 32] as const;

/** Flattened [ts0, v0, ts1, v1, …], oldest first; NaN (or null from JSON) is a gap. */
export type FlatHistory = number[];

/** Appends one point and drops what is older than the history bound (in place). */
export function appendPoint(series: FlatHistory, ts: number, value: number): void {
  series.push(ts, value);
  trimSeries(series, ts);
}

export function trimSeries(series: FlatHistory, now: number): void {
  let drop = 0;
  while (drop < series.length && series[drop] < now - TREND_HISTORY_MS) drop += 2;
  drop = Math.max(drop, series.length - TREND_MAX_POINTS * 2);
  if (drop > 0) series.splice(0, drop);
}

export interface TrendView {
  /** Right edge of the chart (ms since epoch): now when live, the pause time when paused. */
  end: number;
  windowMs: number;
  zoom: number;
}

export function spanMs(view: TrendView): number {
  return view.windowMs / view.zoom;
}

/** Next zoom level in (+1) or out (-1), clamped to ZOOM_LEVELS. */
export function stepZoom(zoom: number, direction: 1 | -1): number {
  const index = ZOOM_LEVELS.indexOf(zoom as (typeof ZOOM_LEVELS)[number]);
  const next = Math.max(0, Math.min(ZOOM_LEVELS.length - 1, (index < 0 ? 0 : index) + direction));
  return ZOOM_LEVELS[next];
}

/** Min and max of the values inside [from, to] over every series, padded so a flat line sits mid-chart. */
export function valueRange(series: readonly FlatHistory[], from: number, to: number): { min: number; max: number } | undefined {
  let min = Infinity;
  let max = -Infinity;
  for (const s of series) {
    for (let i = 0; i + 1 < s.length; i += 2) {
      const ts = s[i];
      const v = s[i + 1];
      if (ts < from || ts > to || v === null || Number.isNaN(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (min === Infinity) return undefined;
  if (min === max) return { min: min - 1, max: max + 1 };
  const pad = (max - min) * 0.05;
  return { min: min - pad, max: max + pad };
}

/** "Nice" tick values (1, 2, 5 × 10^n steps) covering [min, max] with about `count` ticks. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  const raw = (max - min) / Math.max(1, count);
  if (!(raw > 0) || !Number.isFinite(raw)) return [min];
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}
