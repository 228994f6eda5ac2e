/**
 * The DOM both virtualized lists (the tag grid and the frame list) are built on: an
 * ARIA grid with a header row, and a scrolling viewport whose spacer gives the
 * scrollbar the height of every row while only the rows in view exist. Also the
 * one-paint-per-animation-frame scheduler both use, so a burst of updates costs
 * one paint.
 */

export interface GridSkeleton {
  element: HTMLDivElement;
  viewport: HTMLDivElement;
  spacer: HTMLDivElement;
}

export interface GridSkeletonOptions {
  className: string;
  label: string;
  columns: readonly string[];
  multiselectable?: boolean;
  /** aria-rowindex of the header, when the rows below carry theirs. */
  headerRowIndex?: number;
}

export function createGridSkeleton(options: GridSkeletonOptions): GridSkeleton {
  const element = document.createElement('div');
  element.className = options.className;
  element.setAttribute('role', 'grid');
  element.setAttribute('aria-label', options.label);
  element.setAttribute('aria-colcount', String(options.columns.length));
  if (options.multiselectable) element.setAttribute('aria-multiselectable', 'true');
  element.tabIndex = 0;

  const header = document.createElement('div');
  header.className = 'row header';
  header.setAttribute('role', 'row');
  if (options.headerRowIndex !== undefined) header.setAttribute('aria-rowindex', String(options.headerRowIndex));
  for (const title of options.columns) {
    const cell = document.createElement('div');
    cell.className = 'cell';
    cell.setAttribute('role', 'columnheader');
    cell.textContent = title;
    header.append(cell);
  }

  const viewport = document.createElement('div');
  viewport.className = 'viewport';
  const spacer = document.createElement('div');
  spacer.className = 'spacer';
  viewport.append(spacer);
  element.append(header, viewport);
  return { element, viewport, spacer };
}

/** Coalesces any number of paint requests into one call in the next animation frame. */
export class FramePainter {
  private requested = false;

  constructor(private readonly paint: (now: number) => void) {}

  schedule(): void {
    if (this.requested) return;
    this.requested = true;
    requestAnimationFrame((now) => {
      this.requested = false;
      this.paint(now);
    });
  }
}
