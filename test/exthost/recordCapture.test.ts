// Bifrost: Stop Recording in a real extension host: the gateway the extension runs
// records the capture to a pcapng file, and the palette command stops it (the save
// dialog of "Record Capture to Disk…" cannot be answered here; capture.record stands in).
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, until } from './helpers';
import type { BifrostApi } from '../../extension/main';

describe('recording the capture to disk', function () {
  this.timeout(90_000);
  let api: BifrostApi;
  let dir: string;

  before(async () => {
    const extension = vscode.extensions.getExtension<BifrostApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    api = await extension.activate();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bifrost-exthost-record-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('stops the recording from the palette, leaving a closed pcapng of what was recorded', async () => {
    const client = await until('the gateway to run', () => api.gateway.client, 60_000);
    const file = path.join(dir, 'demo.pcapng');
    const started = await client.request('capture.record', { path: file });
    assert.strictEqual(started.recording, true);
    await until('the demo device to be recorded', async () => {
      const { frames } = await client.request('capture.snapshot', { limit: 1 });
      return frames.length > 0 && fs.statSync(file).size > 200 ? true : undefined;
    });
    await vscode.commands.executeCommand('bifrost.stopRecording');
    const final = await client.request('capture.stopRecording', {});
    assert.strictEqual(final.recording, false, 'the command stopped it');
    assert.strictEqual(final.path, file);
    assert.ok(final.frames > 0, `${final.frames} frames recorded`);
    assert.strictEqual(fs.statSync(file).size, final.bytes, 'everything recorded is on disk');
  });
});
