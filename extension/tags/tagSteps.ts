/**
 * The questions that define a tag — name, type, word order, address, scale, unit —
 * each checked with the contract's Tag schema as it is typed, and a live preview of
 * what the tag would read now (the gateway's `tag.preview`) shown under the address
 * and scale, and once more before saving. Shared by Add Tag, Edit Tag and the value
 * finder's and Registers view's "Add as tag". Escape at any step answers undefined.
 */
import * as vscode from 'vscode';
import { DataType, parseAddress, Tag, WordOrder, type RegisterTargetInput } from '../../gateway/api';
import type { TagInput } from '../../gateway/api/codec/registerMap';
import type { Prompter } from '../ui/prompter';
import { firstIssue, Steps } from '../ui/inputSteps';
import { previewText, type PreviewClient } from './tagPreview';

export interface TagStepsContext {
  prompter: Prompter;
  client: PreviewClient | undefined;
  target: RegisterTargetInput;
  addressBase: 0 | 1;
  /** Names taken on the device (the edited tag's own name excluded). */
  taken: readonly string[];
}

const TYPE_DETAIL: Record<DataType, string> = {
  bool: 'one bit: a coil, a discrete input, or a bit in a register (HR:10.3)',
  int16: 'one register, signed',
  uint16: 'one register, unsigned',
  int32: 'two registers, signed',
  uint32: 'two registers, unsigned',
  int64: 'four registers, signed, exact',
  uint64: 'four registers, unsigned, exact',
  float32: 'two registers, IEEE 754',
  float64: 'four registers, IEEE 754',
  string: 'characters, two per register',
  bcd16: 'one register, four decimal digits',
  bcd32: 'two registers, eight decimal digits',
};

const WIDE: readonly DataType[] = ['int32', 'uint32', 'int64', 'uint64', 'float32', 'float64', 'bcd32'];

function tagIssue(tag: TagInput): string | undefined {
  const result = Tag.safeParse(tag);
  return result.success ? undefined : result.error.issues[0]?.message;
}

/** Asks for a tag; `initial` prefills every answer (Edit Tag, Add as tag). */
export async function askTag(context: TagStepsContext, flow: string, initial: Partial<TagInput> = {}): Promise<TagInput | undefined> {
  const { prompter } = context;
  const steps = new Steps(flow, 7);
  const ask = (title: string, prompt: string, value: string, validate: (text: string) => string | undefined | Thenable<string | vscode.InputBoxValidationMessage | undefined>) =>
    prompter.showInputBox({ title: steps.next(title), prompt, value, ignoreFocusOut: true, validateInput: (text) => validate(text.trim()) }).then((text) => text?.trim());
  const pick = async <T>(title: string, placeHolder: string, items: (vscode.QuickPickItem & { value: T })[]) =>
    (await prompter.showQuickPick(items, { title: steps.next(title), placeHolder, ignoreFocusOut: true }))?.value;

  const name = await ask('Tag name', 'Shown in the tree and Tag Watch, e.g. "voltage L1"', initial.name ?? '', (text) =>
    context.taken.includes(text) ? `a tag named "${text}" is already on this device` : firstIssue(Tag.shape.name, text),
  );
  if (name === undefined) return undefined;

  const types = DataType.options.map((type) => ({ label: type, description: TYPE_DETAIL[type], value: type }));
  // The tag's type first (Edit), else uint16, the one-register default: Enter takes it.
  const start = types.findIndex((t) => t.value === (initial.type ?? 'uint16'));
  if (start > 0) types.unshift(...types.splice(start, 1));
  const type = await pick('Type', 'How the registers are decoded', types);
  if (type === undefined) return undefined;

  let order: WordOrder = initial.order ?? 'ABCD';
  if (WIDE.includes(type)) {
    const orders = WordOrder.options.map((o) => ({ label: o, description: { ABCD: 'big-endian, the Modbus default', CDAB: 'words swapped', BADC: 'bytes swapped in each word', DCBA: 'little-endian' }[o], value: o }));
    orders.unshift(...orders.splice(orders.findIndex((o) => o.value === order), 1));
    const picked = await pick('Word order', 'As the device lays the value over its registers', orders);
    if (picked === undefined) return undefined;
    order = picked;
  }

  let length = initial.length;
  if (type === 'string') {
    const text = await ask('Length', 'Registers the text occupies (two characters each)', String(length ?? 8), (value) => (/^\d+$/.test(value) ? firstIssue(Tag.shape.length, Number(value)) : 'enter a whole number'));
    if (text === undefined) return undefined;
    length = Number(text);
  }

  const base = { name, type, ...(order === 'ABCD' ? {} : { order }), ...(length === undefined ? {} : { length }) };
  const basePrompt = context.addressBase === 1 ? 'this device numbers offsets from 1' : 'zero-based offsets';
  const address = await ask('Address', `HR:0, IR:7, CO:12, DI:3, HR:10.3 or Modicon 40001 (${basePrompt})`, initial.address ?? '', async (text) => {
    const parsed = parseAddress(text);
    if (!parsed.ok) return parsed.error;
    const issue = tagIssue({ ...base, address: text });
    if (issue) return issue;
    return { message: await previewText(context.client, context.target, { ...base, address: text }, context.addressBase), severity: vscode.InputBoxValidationSeverity.Info };
  });
  if (address === undefined) return undefined;

  let scale = initial.scale;
  if (type !== 'bool' && type !== 'string') {
    const text = await ask('Scale', 'value = raw × scale (1, 0.1, 0.01…)', String(scale ?? 1), async (value) => {
      const number = Number(value);
      if (value === '' || !Number.isFinite(number)) return `"${value}" is not a number`;
      return { message: await previewText(context.client, context.target, { ...base, address, scale: number }, context.addressBase), severity: vscode.InputBoxValidationSeverity.Info };
    });
    if (text === undefined) return undefined;
    scale = Number(text);
  }

  const unit = await ask('Unit', 'Shown after the value, e.g. V, °C, m³/h (empty for none)', initial.unit ?? '', (value) => (value === '' ? undefined : firstIssue(Tag.shape.unit, value)));
  if (unit === undefined) return undefined;

  const tag: TagInput = { ...base, address, ...(scale === undefined || scale === 1 ? {} : { scale }), ...(unit ? { unit } : {}) };
  if (initial.description) tag.description = initial.description;
  const reading = await previewText(context.client, context.target, tag, context.addressBase);
  const confirm = await pick('Save', `${name}: ${reading}`, [
    { label: `$(check) Save "${name}"`, description: `${address} · ${type}${order === 'ABCD' ? '' : ` ${order}`}`, detail: reading, value: true },
    { label: '$(close) Cancel', value: false },
  ]);
  return confirm ? tag : undefined;
}
