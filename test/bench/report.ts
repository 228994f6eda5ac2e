/** Markdown tables for the bench's output, ready to paste into the README. */

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function verdict(pass: boolean): string {
  return pass ? '**PASS**' : '**MISS**';
}

/** 0.0123 → "0.012", 12.3 → "12.3", 12345 → "12,345". */
export function num(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(digits)).toString();
}

/** 0.9 → "0.90×", 24.1 → "24.10×": always two decimals, so ratios line up. */
export function ratio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a';
}
