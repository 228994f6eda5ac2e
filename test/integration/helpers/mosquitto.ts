/**
 * A mosquitto broker of the test's own: a temp config, a free loopback port, no
 * persistence (a restart forgets retained messages, so what arrives after it was
 * published again), never the system service. Killed and started again on the same
 * port to play a broker outage.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { start, type Child } from './childProcess';
import { freePort } from './ports';
import type { TestCertificates } from './testCertificates';
import { tempDir } from './tempDir';

const MOSQUITTO = '/usr/sbin/mosquitto';

export function requireMosquitto(): void {
  try {
    execFileSync(MOSQUITTO, ['-h'], { stdio: 'pipe' });
  } catch (error) {
    // `mosquitto -h` prints its usage and exits 3; only a missing binary is a problem.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error('mosquitto is not installed: the MQTT tests publish to it. Install it with "apt-get install mosquitto".');
    }
  }
}

export class Mosquitto {
  private child?: Child;

  private constructor(
    readonly port: number,
    private readonly configFile: string,
    private readonly tls: boolean,
  ) {}

  get url(): string {
    return `${this.tls ? 'mqtts' : 'mqtt'}://127.0.0.1:${this.port}`;
  }

  /** With `tls`, the listener speaks only TLS, with that server certificate. */
  static async start(tls?: TestCertificates): Promise<Mosquitto> {
    requireMosquitto();
    const port = await freePort();
    const dir = tempDir('bifrost-mosquitto-');
    const configFile = path.join(dir, 'mosquitto.conf');
    const lines = [`listener ${port} 127.0.0.1`, 'allow_anonymous true', 'persistence false', 'log_dest stderr'];
    if (tls) lines.push(`cafile ${tls.ca}`, `certfile ${tls.cert}`, `keyfile ${tls.key}`);
    fs.writeFileSync(configFile, [...lines, ''].join('\n'));
    const broker = new Mosquitto(port, configFile, tls !== undefined);
    await broker.restart();
    return broker;
  }

  /** Start (again) on the same port; resolves once it accepts connections. */
  async restart(): Promise<void> {
    this.child = start(MOSQUITTO, ['-c', this.configFile]);
    const deadline = Date.now() + 10_000;
    while (!this.child.stderr.some((line) => /Opening ipv4 listen socket on port/.test(line))) {
      if (this.child.process.exitCode !== null) throw new Error(`mosquitto exited: ${this.child.stderr.join('\n')}`);
      if (Date.now() > deadline) throw new Error(`mosquitto did not open port ${this.port}: ${this.child.stderr.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** SIGKILL: the broker vanishes without a goodbye, as a crashed or unplugged one does. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.process.kill('SIGKILL');
    await child.exited;
    this.child = undefined;
  }

  async stop(): Promise<void> {
    await this.child?.stop();
    this.child = undefined;
  }
}
