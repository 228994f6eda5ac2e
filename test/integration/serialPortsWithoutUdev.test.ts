/**
 * serial.ports on a machine without udev (containers, WSL, CI runners): serialport's
 * own listing spawns `udevadm info -e` and fails there, so the gateway reads /dev and
 * sysfs itself. The gateway runs with a PATH that has no udevadm at all, then with a
 * udevadm that fails; either way the port picker gets a list, and every ttyS port
 * with a UART behind it is on it.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OperationMethods } from '../../gateway/api/operations';
import { TestChannelClient } from './helpers/channelClient';
import { startGateway, stopAll } from './helpers/childProcess';
import { requireBuiltGateway } from './helpers/tools';

/** PATH without any folder that holds a udevadm. */
function pathWithoutUdevadm(): string {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => dir !== '' && !fs.existsSync(path.join(dir, 'udevadm')))
    .join(path.delimiter);
}

/** A folder whose udevadm fails the way a broken or sandboxed udev does. */
function failingUdevadmDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bifrost-udevadm-'));
  fs.writeFileSync(path.join(dir, 'udevadm'), '#!/bin/sh\necho "Failed to enumerate devices: No such file or directory" >&2\nexit 1\n', { mode: 0o755 });
  return dir;
}

/** The ttyS ports the kernel has a UART for (serial_core's type is not 0, PORT_UNKNOWN). */
function uartBackedTtyS(): string[] {
  const classTty = '/sys/class/tty';
  if (!fs.existsSync(classTty)) return [];
  return fs
    .readdirSync(classTty)
    .filter((name) => /^ttyS\d+$/.test(name) && fs.existsSync(path.join('/dev', name)))
    .filter((name) => fs.existsSync(path.join(classTty, name, 'device')))
    .filter((name) => {
      try {
        return fs.readFileSync(path.join(classTty, name, 'type'), 'utf8').trim() !== '0';
      } catch {
        return true;
      }
    })
    .map((name) => `/dev/${name}`);
}

describe('serial.ports without udev', function () {
  this.timeout(20_000);
  let client: TestChannelClient | undefined;

  before(() => {
    requireBuiltGateway();
    if (process.platform !== 'linux') throw new Error('this suite checks the Linux sysfs listing and must run on Linux');
  });
  afterEach(async () => {
    client?.close();
    client = undefined;
    await stopAll();
  });

  const cases: Array<[string, () => string]> = [
    ['no udevadm on PATH', pathWithoutUdevadm],
    ['a udevadm that fails', () => `${failingUdevadmDir()}${path.delimiter}${pathWithoutUdevadm()}`],
  ];
  for (const [what, makePath] of cases) {
    it(`answers a list with every UART-backed ttyS port (${what})`, async () => {
      const started = await startGateway([], { ...process.env, PATH: makePath() });
      client = await TestChannelClient.connect(started.ready.port, started.ready.token);
      const { ports } = OperationMethods['serial.ports'].result.parse(await client.request('serial.ports', {}));
      const listed = ports.map((port) => port.path);
      for (const expected of uartBackedTtyS()) assert.ok(listed.includes(expected), `${expected} is listed (got ${listed.join(', ') || 'nothing'})`);
      for (const port of ports) assert.match(port.path, /^\/dev\//);
    });
  }
});
