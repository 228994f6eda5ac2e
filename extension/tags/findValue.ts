/**
 * Bifrost: Find a Value… — "this register should read 230.1 now: where is it?". The
 * range is read once, every address × type × word order × scale whose value falls
 * within the tolerance is a candidate, a second read drops those that do not hold
 * still, and the rest are listed ranked (exact types first, then scaled ones), each
 * one pick away from Add as tag.
 */
import * as vscode from 'vscode';
import { parseStart, rowAddress } from '../../gateway/api/codec/registerFormats';
import { describeCandidate, findByTwoReads, parseFinderQuery, type FinderQuery, type FinderResult } from '../../gateway/api/codec/valueFinder';
import type { RegisterTableName } from '../../gateway/api';
import { rangeValues } from '../../gateway/api/codec/rangeValues';
import type { GatewayClient } from '../gateway/gatewayConnection';
import type { Prompter } from '../ui/prompter';
import { targetParams, type RegisterTargetInfo } from '../devices/registerTarget';
import type { BifrostContext } from '../bifrostContext';
import { addRowsAsTags } from './rowsToTags';

export interface FinderRange {
  table: RegisterTableName;
  start: number;
  count: number;
}

/** "HR:0-HR:2000", "HR:0–2000", "40001-42000", "0-2000" (holding registers), in the device's base; end inclusive. */
export function parseFinderRange(text: string, addressBase: 0 | 1): { ok: true; range: FinderRange } | { ok: false; error: string } {
  const parts = text.split(/\s*(?:-|–|\.\.)\s*/);
  if (parts.length !== 2) return { ok: false, error: `"${text}": type a range like HR:0-HR:2000 or 40001-42000` };
  const from = parseStart(parts[0], 'holdingRegister', addressBase);
  if (!from.ok) return from;
  const to = parseStart(parts[1], from.table, addressBase);
  if (!to.ok) return to;
  if (to.table !== from.table) return { ok: false, error: `the range starts in one table and ends in another` };
  if (from.table === 'coil' || from.table === 'discreteInput') return { ok: false, error: 'the finder looks in registers (HR or IR), not bits' };
  if (to.offset < from.offset) return { ok: false, error: 'the range ends before it starts' };
  return { ok: true, range: { table: from.table, start: from.offset, count: to.offset - from.offset + 1 } };
}

export function runFinder(client: GatewayClient, target: RegisterTargetInfo, range: FinderRange, query: FinderQuery): Promise<FinderResult> {
  const read = async () => rangeValues((await client.request('registers.read', { target: targetParams(target), ...range }, { timeoutMs: 120_000 })).chunks, range.start, range.count);
  return findByTwoReads(read, range.start, query);
}

export interface FindOptions {
  prompter: Prompter;
}

export async function findValue(ctx: BifrostContext, client: GatewayClient, target: RegisterTargetInfo, options: FindOptions): Promise<string[]> {
  const { prompter } = options;
  const queryText = await prompter.showInputBox({
    title: `Find a Value on ${target.label} (1/2): what it reads now`,
    prompt: 'The value the device shows now, e.g. 230.1 or 230.1 ±0.5 (default tolerance: half the last digit)',
    ignoreFocusOut: true,
    validateInput: (text) => {
      const parsed = parseFinderQuery(text);
      return parsed.ok ? undefined : parsed.error;
    },
  });
  if (queryText === undefined) return [];
  const parsedQuery = parseFinderQuery(queryText);
  if (!parsedQuery.ok) return [];
  const prefix = (table: RegisterTableName) => rowAddress(table, 0, target.addressBase).split(':')[0];
  const rangeText = await prompter.showInputBox({
    title: `Find a Value on ${target.label} (2/2): where to look`,
    prompt: `A register range, end included: HR:0-HR:2000, IR:0-IR:500 or 40001-42000 (${target.addressBase === 1 ? 'one-based' : 'zero-based'} offsets)`,
    value: `HR:${target.addressBase}-HR:${1999 + target.addressBase}`,
    ignoreFocusOut: true,
    validateInput: (text) => {
      const parsed = parseFinderRange(text, target.addressBase);
      return parsed.ok ? undefined : parsed.error;
    },
  });
  if (rangeText === undefined) return [];
  const parsedRange = parseFinderRange(rangeText, target.addressBase);
  if (!parsedRange.ok) return [];
  const range = parsedRange.range;
  const query = parsedQuery.query;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Bifrost: reading ${range.count} registers of ${target.label} twice…` },
    () => runFinder(client, target, range, query),
  );
  const summary = `${result.candidates.length} candidate(s) for ${query.target} ±${query.tolerance}${result.dropped ? `; ${result.dropped} dropped: they changed between two reads` : ''}${result.unreadable ? `; ${result.unreadable} register(s) refused by the device` : ''}`;
  if (result.candidates.length === 0) {
    void vscode.window.showInformationMessage(`Bifrost: no register of ${target.label} reads ${query.target} ±${query.tolerance} in that range. ${summary}.`);
    return [];
  }
  const picked = await prompter.showQuickPick(
    result.candidates.map((candidate) => ({
      label: describeCandidate(candidate, prefix(range.table), target.addressBase),
      description: `reads ${candidate.value}`,
      detail: `protocol address ${candidate.offset} · one-based ${candidate.offset + 1}${range.table === 'holdingRegister' ? ` · Modicon ${400001 + candidate.offset}` : ` · Modicon ${300001 + candidate.offset}`} — pick to add as a tag`,
      candidate,
    })),
    { title: `Find a Value on ${target.label}: ${summary}`, placeHolder: 'Pick a candidate to add it as a tag', ignoreFocusOut: true, matchOnDescription: true },
  );
  if (!picked) return [];
  const c = picked.candidate;
  return addRowsAsTags(ctx, prompter, target, [{ table: range.table, offset: c.offset, format: { kind: c.type === 'float32' ? 'float32' : 'unsigned', order: c.order }, type: c.type, scale: c.scale }]);
}
