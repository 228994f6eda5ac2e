import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchGateway, stopGateway } from '../../../extension/gateway/launch';

const dir = mkdtempSync(path.join(tmpdir(), 'bifrost-launch-'));

/** Writes a stand-in gateway script; `serve` arrives as argv[2]. */
function script(name: string, body: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, body);
  return file;
}

const READY = JSON.stringify({ ready: { port: 1234, token: 'x'.repeat(16), pid: 1, version: '0.0.0' } });

describe('extension/gateway/launch', () => {
  it('reads the ready line, passes other output on, and stops when stdin closes', async () => {
    const file = script(
      'good.js',
      `if (process.argv[2] !== 'serve') process.exit(9);
       console.error('warn: starting');
       console.log('a stray line');
       console.log(${JSON.stringify(READY)});
       console.log('after ready');
       process.stdin.resume();
       process.stdin.on('end', () => process.exit(0));`,
    );
    const stdout: string[] = [];
    const stderr: string[] = [];
    const gateway = await launchGateway({
      nodePath: process.execPath,
      script: file,
      onStdoutLine: (line) => stdout.push(line),
      onStderrLine: (line) => stderr.push(line),
    });
    assert.equal(gateway.ready.port, 1234);
    const exit = await stopGateway(gateway.child, gateway.exited);
    assert.deepEqual(exit, { code: 0, signal: null });
    assert.deepEqual(stdout, ['a stray line', 'after ready']);
    assert.deepEqual(stderr, ['warn: starting']);
  });

  it('keeps a BIFROST_TOKEN of the user\'s environment (meant for a gateway elsewhere) from the window\'s own gateway', async () => {
    const file = script(
      'env.js',
      `console.error('BIFROST_TOKEN ' + (process.env.BIFROST_TOKEN === undefined ? 'absent' : 'present'));
       console.log(${JSON.stringify(READY)});
       process.stdin.resume();
       process.stdin.on('end', () => process.exit(0));`,
    );
    const stderr: string[] = [];
    process.env.BIFROST_TOKEN = 'operator-token-0123456789';
    try {
      const gateway = await launchGateway({ nodePath: process.execPath, script: file, onStdoutLine() {}, onStderrLine: (line) => stderr.push(line) });
      await stopGateway(gateway.child, gateway.exited);
    } finally {
      delete process.env.BIFROST_TOKEN;
    }
    assert.deepEqual(stderr, ['BIFROST_TOKEN absent']);
  });

  it('fails when the process exits before it is ready', async () => {
    const file = script('dies.js', `console.error('boom'); process.exit(3);`);
    await assert.rejects(
      launchGateway({ nodePath: process.execPath, script: file, onStdoutLine() {}, onStderrLine() {} }),
      /exited before it was ready \(exit code 3\)/,
    );
  });

  it('fails after the deadline when no ready line comes', async () => {
    const file = script('silent.js', `console.log('{"ready":{"port":"nope"}}'); setInterval(() => {}, 1000);`);
    await assert.rejects(
      launchGateway({ nodePath: process.execPath, script: file, readyTimeoutMs: 300, onStdoutLine() {}, onStderrLine() {} }),
      /did not report ready within 300 ms/,
    );
  });

  it('fails when the runtime cannot be started', async () => {
    await assert.rejects(
      launchGateway({ nodePath: path.join(dir, 'no-such-node'), script: 'x.js', onStdoutLine() {}, onStderrLine() {} }),
      /cannot start/,
    );
  });

  it('kills a gateway that ignores stdin closing', async () => {
    const file = script(
      'stubborn.js',
      `console.log(${JSON.stringify(READY)}); process.on('SIGTERM', () => {}); setInterval(() => {}, 1000);`,
    );
    const gateway = await launchGateway({ nodePath: process.execPath, script: file, onStdoutLine() {}, onStderrLine() {} });
    const exit = await stopGateway(gateway.child, gateway.exited, 100);
    assert.equal(exit.signal, 'SIGKILL');
  });
});
