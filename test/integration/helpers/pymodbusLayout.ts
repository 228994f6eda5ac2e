/** The values the pymodbus peers serve (peers/pymodbus_server.py), as tags and what each must decode to. */
import type { z } from 'zod';
import type { Tag } from '../../../gateway/api/config';

/** What each tag must decode to; the register layout is in pymodbus_server.py. */
export const EXPECTED: { tag: z.input<typeof Tag>; value: number | boolean; raw?: number[] }[] = [
  { tag: { name: 'uint16', address: 'HR:0', type: 'uint16' }, value: 1234, raw: [1234] },
  { tag: { name: 'pi', address: 'HR:1', type: 'float32', order: 'ABCD' }, value: 3.1415927, raw: [16457, 4059] },
  { tag: { name: 'int16', address: 'HR:3', type: 'int16' }, value: -1234 },
  { tag: { name: 'uint32 CDAB', address: 'HR:4', type: 'uint32', order: 'CDAB' }, value: 123456789 },
  { tag: { name: 'int32', address: 'HR:6', type: 'int32' }, value: -2 },
  { tag: { name: 'scaled', address: '40009', type: 'int16', scale: 0.1, unit: '°C' }, value: 21.5 },
  { tag: { name: 'bit 0', address: 'HR:9.0', type: 'bool' }, value: true },
  { tag: { name: 'bit 1', address: 'HR:9.1', type: 'bool' }, value: false },
  { tag: { name: 'bit 2', address: 'HR:9.2', type: 'bool' }, value: true },
  { tag: { name: 'float DCBA', address: 'HR:10', type: 'float32', order: 'DCBA' }, value: -123.456 },
  { tag: { name: 'input', address: 'IR:0' }, value: 42 },
  { tag: { name: 'input float CDAB', address: '30002', type: 'float32', order: 'CDAB' }, value: 2.5 },
  { tag: { name: 'coil 0', address: 'CO:0', type: 'bool' }, value: true },
  { tag: { name: 'coil 1', address: '2', type: 'bool' }, value: false },
  { tag: { name: 'coil 2', address: 'CO:2', type: 'bool' }, value: true },
  { tag: { name: 'input bit 1', address: 'DI:1', type: 'bool' }, value: true },
];

