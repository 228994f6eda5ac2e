/**
 * `bifrost-gateway run --config FILE` reads what the extension reads (a UTF-8 byte
 * order mark is fine) and refuses, naming the file, what is no config at all: a
 * device file, a pipe, a file far too big. None of them may be read into memory.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { start, stopAll } from './helpers/childProcess';
import { GATEWAY_JS } from './helpers/tools';
import { until, within } from './helpers/wait';

describe('run --config: the file itself', function () {
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bifrost-config-'));
  });
  after(async () => {
    await stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function refused(file: string): Promise<string> {
    const child = start(process.execPath, [GATEWAY_JS, 'run', '--config', file]);
    const exit = await within(child.exited, 10_000, `run --config ${file} to exit`);
    assert.deepEqual(exit, { code: 1, signal: null }, child.stderr.join('\n'));
    return child.stderr.join('\n');
  }

  it('accepts a file that starts with a UTF-8 byte order mark', async () => {
    const file = path.join(dir, 'bom.json');
    const config = { version: 1, devices: [{ name: 'Demo', transport: { kind: 'demo' }, tags: [{ name: 'counter', address: 'HR:0' }] }] };
    fs.writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(config))]));
    const child = start(process.execPath, [GATEWAY_JS, 'run', '--config', file]);
    await until(() => child.stderr.some((line) => line.includes(`running 1 device(s) and 0 proxies from ${file}`)), 10_000, 'the config to run', async () => {
      if (child.process.exitCode !== null) throw new Error(`run exited ${child.process.exitCode}:\n${child.stderr.join('\n')}`);
    });
    await child.stop();
  });

  it('refuses /dev/zero by name instead of reading it', async () => {
    assert.match(await refused('/dev/zero'), /cannot read \/dev\/zero: it is a character device, not a regular file; expected a bifrost\.json file/);
  });

  it('refuses a pipe without waiting for a writer', async () => {
    const fifo = path.join(dir, 'pipe.json');
    execFileSync('mkfifo', [fifo]);
    assert.match(await refused(fifo), new RegExp(`cannot read ${fifo}: it is a pipe \\(FIFO\\), not a regular file`));
  });

  it('refuses a file over 16 MiB, saying how big it is and what the limit is', async () => {
    const file = path.join(dir, 'huge.json');
    fs.closeSync(fs.openSync(file, 'w'));
    fs.truncateSync(file, 17 * 1024 * 1024);
    assert.match(await refused(file), new RegExp(`cannot read ${file}: it is 17 MiB; a Bifrost configuration is at most 16 MiB`));
  });

  it('still says which file is missing', async () => {
    const file = path.join(dir, 'absent.json');
    assert.match(await refused(file), new RegExp(`cannot read ${file}: ENOENT`));
  });
});
