/**
 * Saved watch lists in `bifrost.json`: `watches: [{ name, tags: [{ device, tag }] }]`,
 * opened by "Bifrost: Watch Tags…" as one Tag Watch panel. The gateway ignores them;
 * the schema checks that every entry names a device and a tag that exist.
 */
import { z } from 'zod';

export const WatchListTag = z
  .object({
    device: z.string().min(1).describe('A device name from "devices"'),
    tag: z.string().min(1).describe('One of that device\'s tag names'),
  })
  .strict();

export const WatchList = z
  .object({
    name: z.string().min(1).describe('Shown in "Bifrost: Watch Tags…"'),
    tags: z.array(WatchListTag).min(1).describe('The tags the panel shows, in this order'),
  })
  .strict()
  .describe('A saved set of tags to open in one Tag Watch panel');
export type WatchList = z.infer<typeof WatchList>;
export type WatchListInput = z.input<typeof WatchList>;

/** Unknown devices and tags, and duplicate list names, each at its JSON path. */
export function checkWatches(watches: WatchList[] | undefined, devices: { name: string; tags: { name: string }[] }[], ctx: z.RefinementCtx): void {
  const byName = new Map(devices.map((device) => [device.name, new Set(device.tags.map((tag) => tag.name))]));
  const names = new Map<string, number>();
  (watches ?? []).forEach((watch, index) => {
    const first = names.get(watch.name);
    if (first === undefined) names.set(watch.name, index);
    else ctx.addIssue({ code: 'custom', path: ['watches', index, 'name'], message: `duplicate watch list name "${watch.name}" (first used at watches[${first}])` });
    watch.tags.forEach((entry, position) => {
      const tags = byName.get(entry.device);
      if (!tags) {
        ctx.addIssue({ code: 'custom', path: ['watches', index, 'tags', position, 'device'], message: `no device named "${entry.device}"` });
      } else if (!tags.has(entry.tag)) {
        ctx.addIssue({ code: 'custom', path: ['watches', index, 'tags', position, 'tag'], message: `device "${entry.device}" has no tag named "${entry.tag}"` });
      }
    });
  });
}
