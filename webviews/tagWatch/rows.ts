/** What the Tag Watch host and page both need at run time: no imports, so the page's bundle stays small. */

/** Points kept per tag for the sparklines, on the host and in the page: a minute at 1 Hz, six seconds at 10 Hz. */
export const HISTORY_CAPACITY = 60;

/** A row's key: its device and tag, joined by a character neither may contain. */
export function rowKey(device: string, tag: string): string {
  return `${device}\u0000${tag}`;
}
