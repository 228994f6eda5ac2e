/**
 * Saved Registers views in `bifrost.json`: `registerViews: [{ name, device | endpoint,
 * table, start, count, pollMs, formats }]`, opened again from "Bifrost: Open
 * Registers…". The gateway ignores them; the schema checks that a named device exists.
 */
import { z } from 'zod';
import { FORMAT_KINDS, WORD_ORDERS } from './codec/registerFormats';

// config.ts imports this file to validate bifrost.json: importing config.ts (or
// registers.ts, which does) back would be a cycle, so the two enums are built here.
const ViewOrder = z.enum(WORD_ORDERS);
const ViewTable = z.enum(['holdingRegister', 'inputRegister', 'coil', 'discreteInput']);

export const RegisterViewFormat = z
  .object({
    /** Zero-based protocol address of the row. */
    address: z.number().int().min(0).max(0xffff),
    format: z.enum(FORMAT_KINDS),
    order: ViewOrder.default('ABCD'),
  })
  .strict();

export const RegisterView = z
  .object({
    name: z.string().min(1).describe('Shown in "Bifrost: Open Registers…"'),
    device: z.string().min(1).optional().describe('A device name from "devices"'),
    endpoint: z
      .string()
      .regex(/^(tcp|rtutcp):\/\/\S+:\d+ #\d+$/, 'an endpoint like "tcp://10.0.0.5:502 #1"')
      .optional()
      .describe('Or a Modbus TCP endpoint not in "devices": "tcp://10.0.0.5:502 #1"'),
    table: ViewTable,
    start: z.number().int().min(0).max(0xffff).describe('Zero-based protocol address of the first row'),
    count: z.number().int().min(1).max(0x10000),
    pollMs: z.number().int().min(0).max(10_000).default(1000).describe('0: read once'),
    formats: z.array(RegisterViewFormat).default([]).describe('Rows shown in another format than unsigned'),
  })
  .strict()
  .refine((view) => (view.device === undefined) !== (view.endpoint === undefined), { message: 'a view names a "device" or an "endpoint", one of the two' })
  .describe('A saved Registers view: a range, its poll rate and row formats');
export type RegisterView = z.infer<typeof RegisterView>;
export type RegisterViewInput = z.input<typeof RegisterView>;

/** Unknown devices and duplicate view names, each at its JSON path. */
export function checkRegisterViews(views: RegisterView[] | undefined, devices: { name: string }[], ctx: z.RefinementCtx): void {
  const known = new Set(devices.map((device) => device.name));
  const names = new Map<string, number>();
  (views ?? []).forEach((view, index) => {
    const first = names.get(view.name);
    if (first === undefined) names.set(view.name, index);
    else ctx.addIssue({ code: 'custom', path: ['registerViews', index, 'name'], message: `duplicate view name "${view.name}" (first used at registerViews[${first}])` });
    if (view.device !== undefined && !known.has(view.device)) {
      ctx.addIssue({ code: 'custom', path: ['registerViews', index, 'device'], message: `no device named "${view.device}"` });
    }
  });
}
