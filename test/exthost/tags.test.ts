// Tags from the UI in a real extension host: Add Tag, Edit Tag and Remove Tag answered
// through their prompts (a scripted prompter runs each typed value through the flow's
// own validateInput, as the input box does), with the live preview read from the demo
// simulator; a 500-row register map with 3 bad rows imported, the bad rows named in
// the preview; Export Tags read back by the importer. bifrost.json is written by the
// commands themselves and removed afterwards.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { EXTENSION_ID, until } from './helpers';
import type { BifrostApi } from '../../extension/main';
import type { Prompter } from '../../extension/ui/prompter';
import { DEMO_LAYOUT, parseConfigText } from '../../gateway/api';

type Answer = { type: string[] } | { pick: RegExp } | { pickAll: true } | { press: string };

/** Answers the prompts in order; records what the flows showed. */
class ScriptedPrompter implements Prompter {
  readonly infos: string[] = [];
  readonly rejected: string[] = [];
  readonly pickLists: vscode.QuickPickItem[][] = [];

  constructor(private readonly answers: Answer[]) {}

  private next(kind: string): Answer {
    const answer = this.answers.shift();
    if (!answer) throw new Error(`no scripted answer left for a ${kind}`);
    return answer;
  }

  async showInputBox(options: vscode.InputBoxOptions): Promise<string | undefined> {
    const answer = this.next(`input box "${options.title}"`);
    if (!('type' in answer)) throw new Error(`expected to pick at input box "${options.title}"`);
    for (const text of answer.type) {
      const verdict = await options.validateInput?.(text);
      const message = typeof verdict === 'string' ? verdict : verdict?.message;
      const blocking = typeof verdict === 'string' || (verdict && verdict.severity === vscode.InputBoxValidationSeverity.Error);
      if (blocking) {
        this.rejected.push(`${text}: ${message}`);
        continue;
      }
      if (message) this.infos.push(message);
      return text;
    }
    return undefined;
  }

  async showQuickPick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Promise<T | undefined> {
    const answer = this.next(`quick pick "${options.title ?? options.placeHolder}"`);
    this.pickLists.push([...items]);
    if ('pickAll' in answer) return items.filter((item) => item.picked) as unknown as T;
    if (!('pick' in answer)) throw new Error(`expected to type at quick pick "${options.title}"`);
    const item = items.find((candidate) => answer.pick.test(candidate.label));
    if (!item) throw new Error(`no item ${answer.pick} in ${items.map((i) => i.label).join(', ')}`);
    return item;
  }

  async showWarningMessage<T extends string>(_message: string, _options: vscode.MessageOptions, ...items: T[]): Promise<T | undefined> {
    const answer = this.next('warning');
    if (!('press' in answer)) throw new Error('expected a button press');
    return items.find((item) => item === answer.press);
  }
}

describe('Tags from the UI', function () {
  this.timeout(120_000);
  let api: BifrostApi;
  let uri: vscode.Uri;

  const fileConfig = async () => {
    const parsed = parseConfigText(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
    assert.ok(parsed.ok, 'bifrost.json stays valid');
    return parsed.config;
  };

  before(async () => {
    const extension = vscode.extensions.getExtension<BifrostApi>(EXTENSION_ID);
    assert.ok(extension);
    api = await extension.activate();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder, 'the suite runs in a workspace folder');
    uri = vscode.Uri.joinPath(folder, 'bifrost.json');
    const config = { version: 1, devices: [{ name: 'Demo', transport: { kind: 'demo' }, pollMs: 200, tags: [] }] };
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(config, null, 2)));
    await api.configStore.reload();
    await until('Demo from bifrost.json, without tags', () => api.deviceTree.model.get('Demo')?.tags.length === 0 && api.deviceTree.model.get('Demo')?.status.state === 'connected');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
    await api.configStore.reload();
  });

  it('Add Tag: each answer checked as typed, the value it would read shown before saving', async () => {
    const prompter = new ScriptedPrompter([
      { type: ['', 'pi'] },
      { pick: /^float32$/ },
      { pick: /^ABCD$/ },
      { type: ['HR:1x', `HR:${DEMO_LAYOUT.holding.piAbcd}`] },
      { type: ['x', '1'] },
      { type: ['rad'] },
      { pick: /Save "pi"/ },
    ]);
    const added = await vscode.commands.executeCommand<string | undefined>('bifrost.addTag', { device: 'Demo', prompter });
    assert.strictEqual(added, 'pi');
    assert.ok(prompter.rejected.some((r) => r.startsWith('HR:1x: cannot read address')), prompter.rejected.join('\n'));
    assert.ok(prompter.rejected.some((r) => r.startsWith(': a name cannot be empty')), prompter.rejected.join('\n'));
    assert.ok(prompter.infos.some((info) => /^reads 3\.1415927 now/.test(info)), `no live preview: ${prompter.infos.join(' | ')}`);
    const save = prompter.pickLists.at(-1)?.[0];
    assert.match(save?.detail ?? '', /reads 3\.1415927 rad now/);
    assert.deepStrictEqual((await fileConfig()).devices[0].tags.map((t) => [t.name, t.address, t.type, t.unit]), [['pi', 'HR:10', 'float32', 'rad']]);
    await until('the tree shows pi with its value', () => api.deviceTree.model.get('Demo')?.tags.find((t) => t.name === 'pi')?.value?.value === 3.1415927);
  });

  it('Edit Tag: prefilled with the tag, renamed and rescaled', async () => {
    const prompter = new ScriptedPrompter([{ type: ['pi x2'] }, { pick: /^float32$/ }, { pick: /^ABCD$/ }, { type: ['HR:10'] }, { type: ['2'] }, { type: ['rad'] }, { pick: /Save/ }]);
    const edited = await vscode.commands.executeCommand<string | undefined>('bifrost.editTag', { device: 'Demo', tag: 'pi', prompter });
    assert.strictEqual(edited, 'pi x2');
    assert.ok(prompter.infos.some((info) => /^reads 6\.283185/.test(info)), prompter.infos.join(' | '));
    const tags = (await fileConfig()).devices[0].tags;
    assert.deepStrictEqual(tags.map((t) => [t.name, t.scale]), [['pi x2', 2]]);
  });

  it('Remove Tag: asks, then removes only that tag', async () => {
    const prompter = new ScriptedPrompter([{ press: 'Remove' }]);
    const ok = await vscode.commands.executeCommand<boolean>('bifrost.removeTag', { device: 'Demo', tag: 'pi x2', prompter });
    assert.strictEqual(ok, true);
    assert.deepStrictEqual((await fileConfig()).devices[0].tags, []);
  });

  it('edits bifrost.json as it is on disk when an open editor has not caught up with it yet', async () => {
    await vscode.window.showTextDocument(uri);
    // Written behind VS Code's back, as git or another program would: the open, unmodified
    // editor still shows the old text until the file watcher tells it.
    const onDisk = { version: 1, devices: [{ name: 'Demo', transport: { kind: 'demo' }, pollMs: 200, tags: [{ name: 'a', address: 'HR:0' }, { name: 'b', address: 'HR:1' }] }] };
    fs.writeFileSync(uri.fsPath, JSON.stringify(onDisk, null, 2));
    const prompter = new ScriptedPrompter([{ press: 'Remove' }]);
    const ok = await vscode.commands.executeCommand<boolean>('bifrost.removeTag', { device: 'Demo', tag: 'a', prompter });
    assert.strictEqual(ok, true, 'the tag that is on disk was found and removed');
    assert.deepStrictEqual((await fileConfig()).devices[0].tags.map((t) => t.name), ['b'], 'the newer file kept, only "a" gone');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // Back to a Demo without tags for the import below.
    const removed = await vscode.commands.executeCommand<boolean>('bifrost.removeTag', { device: 'Demo', tag: 'b', prompter: new ScriptedPrompter([{ press: 'Remove' }]) });
    assert.strictEqual(removed, true);
  });

  it('Import Register Map: 500 rows, the 3 bad ones named with their reason, the 497 others imported; Export reads back', async () => {
    const lines = ['Tag Name;Register;Data Type;Word Order;Multiplier;Units;R/W'];
    for (let i = 0; i < 500; i++) lines.push(`value ${i};${40001 + i * 2};REAL;word swap;1;V;R`);
    lines[101] = 'bad address;HR:70000;REAL;;1;V;R';
    lines[202] = 'bad type;40500;COMPLEX;;1;;R';
    lines[303] = 'value 1;40600;INT;;1;;R'; // a name used on line 3
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const file = vscode.Uri.joinPath(folder, 'vendor-map.csv');
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(lines.join('\r\n')));
    try {
      const prompter = new ScriptedPrompter([{ pickAll: true }]);
      const imported = await vscode.commands.executeCommand<string[]>('bifrost.importRegisterMap', { device: 'Demo', prompter, file });
      assert.strictEqual(imported.length, 497);
      const preview = prompter.pickLists[0];
      const problems = preview.filter((item) => item.label.startsWith('$(error)'));
      assert.deepStrictEqual(problems.map((p) => p.label), ['$(error) line 102: bad address', '$(error) line 203: bad type', '$(error) line 304: value 1']);
      assert.match(problems[0].detail ?? '', /beyond 65535/);
      assert.match(problems[1].detail ?? '', /unknown type "COMPLEX"/);
      assert.match(problems[2].detail ?? '', /already used on line 3/);
      const tags = (await fileConfig()).devices[0].tags;
      assert.strictEqual(tags.length, 497);
      assert.deepStrictEqual([tags[0].name, tags[0].address, tags[0].type, tags[0].order, tags[0].unit], ['value 0', '40001', 'float32', 'CDAB', 'V']);
      await until('the tree shows 497 tags', () => api.deviceTree.model.get('Demo')?.tags.length === 497);

      const exported = vscode.Uri.joinPath(folder, 'exported.tsv');
      await vscode.commands.executeCommand('bifrost.exportTags', { device: 'Demo', file: exported });
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(exported));
      assert.strictEqual(text.split('\n')[0], 'name\taddress\ttype\torder\tscale\tunit\taccess\tlength\tdescription');
      assert.strictEqual(text.trim().split('\n').length, 498);
      await vscode.workspace.fs.delete(exported);
    } finally {
      await vscode.workspace.fs.delete(file).then(undefined, () => undefined);
    }
  });
});
