// Small library for driving a real VS Code host: code-server (server + extension host on
// Node) with its workbench rendered in Debian's Chromium through playwright-core.
// docs/testing-in-code-server.md says why code-server and not test-electron, and how.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';

const execFileP = promisify(execFile);
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Runs the idempotent installer (a no-op once cached) and returns the code-server binary. */
export async function ensureCodeServer(): Promise<string> {
  if (process.env.CODE_SERVER_BIN) return process.env.CODE_SERVER_BIN;
  const script = path.join(REPO_ROOT, 'scripts', 'install-code-server.sh');
  // Installer progress goes to stderr; only the binary path is on stdout (last line).
  const child = spawn('bash', [script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((res) => child.on('close', res));
  if (code !== 0) throw new Error(`install-code-server.sh exited with ${code}`);
  const bin = out.trim().split('\n').pop() ?? '';
  if (!fs.existsSync(bin)) throw new Error(`code-server binary not found: ${bin}`);
  return bin;
}

export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export function makeTempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `bifrost-${prefix}-`));
}

export interface Profile {
  root: string;
  userDataDir: string;
  extensionsDir: string;
  /** Empty config so code-server neither reads nor writes ~/.config/code-server/config.yaml. */
  configFile: string;
}

/** Fresh user-data/extensions dirs with settings that keep popups and network calls away. */
export function createProfile(): Profile {
  const root = makeTempDir('profile');
  const userDataDir = path.join(root, 'user-data');
  const extensionsDir = path.join(root, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none', // no welcome tab covering the editor area
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden', // chat panel would steal space
    'chat.commandCenter.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'security.workspace.trust.enabled': false, // no trust dialog blocking activation
    'extensions.autoUpdate': false, // there is no gallery to reach anyway
    'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true,
    'update.mode': 'none',
    'git.enabled': false, // no git scanning of temp workspaces
    'npm.autoDetect': 'off',
    'typescript.disableAutomaticTypeAcquisition': true,
  };
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  const configFile = path.join(root, 'config.yaml');
  fs.writeFileSync(configFile, 'auth: none\n');
  return { root, userDataDir, extensionsDir, configFile };
}

function baseArgs(p: Profile): string[] {
  return ['--config', p.configFile, '--user-data-dir', p.userDataDir, '--extensions-dir', p.extensionsDir];
}

export async function installVsix(bin: string, profile: Profile, vsix: string): Promise<void> {
  const { stdout, stderr } = await execFileP(bin, [...baseArgs(profile), '--install-extension', path.resolve(vsix)], {
    timeout: 120_000,
  });
  const out = stdout + stderr;
  // code-server exits 0 even for some failures; trust its success message instead.
  if (!/successfully installed/i.test(out)) throw new Error(`installing ${vsix} failed:\n${out}`);
}

export interface CodeServer {
  port: number;
  baseUrl: string;
  proc: ChildProcess;
  logFile: string;
  profile: Profile;
  /** Last lines of code-server's stdout/stderr, for failure reports. */
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  bin: string;
  workspace: string;
  profile: Profile;
  /** Extra env for the server; the extension host it spawns inherits it. */
  env?: Record<string, string>;
  timeoutMs?: number;
}

export async function startCodeServer(o: StartOptions): Promise<CodeServer> {
  const port = await findFreePort();
  const logFile = path.join(o.profile.root, 'code-server.log');
  const log = fs.openSync(logFile, 'a');
  const args = [
    ...baseArgs(o.profile),
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    o.workspace,
  ];
  // detached: own process group, so stop() also ends the extension host, pty host, watchers.
  const proc = spawn(o.bin, args, {
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, ...o.env },
  });
  fs.closeSync(log);
  const exited = new Promise<void>((res) => proc.once('exit', () => res()));
  const logTail = (n = 40): string => {
    try {
      return fs.readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
    } catch {
      return '';
    }
  };
  const stop = async (): Promise<void> => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const kill = (sig: NodeJS.Signals): void => {
      try {
        process.kill(-proc.pid!, sig);
      } catch {
        /* group already gone */
      }
    };
    kill('SIGTERM');
    const t = setTimeout(() => kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
    kill('SIGKILL'); // stragglers that ignored SIGTERM after the leader left
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (o.timeoutMs ?? 60_000);
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`code-server exited early (${proc.exitCode}):\n${logTail()}`);
    try {
      const r = await fetch(`${baseUrl}/healthz`);
      if (r.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer on ${baseUrl}:\n${logTail()}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { port, baseUrl, proc, logFile, profile: o.profile, logTail, stop };
}

/** Chromium flags: the closed network refuses Chromium's background connections, so turn them off. */
export const CHROMIUM_ARGS = [
  '--no-sandbox', // we run as root
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export async function launchBrowser(): Promise<Browser> {
  // launch() (not launchPersistentContext) always starts from a fresh, empty temp profile.
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: process.env.HEADFUL !== '1',
    args: CHROMIUM_ARGS,
  });
}

/** [key, value] pairs for the workbench `payload` query parameter (e.g. extension tests). */
export type Payload = Array<[string, string]>;

export function workbenchUrl(cs: CodeServer, folder: string, payload?: Payload): string {
  const u = new URL(cs.baseUrl + '/');
  u.searchParams.set('folder', folder);
  if (payload) u.searchParams.set('payload', JSON.stringify(payload));
  return u.toString();
}

export async function openWorkbench(browser: Browser, url: string, timeoutMs = 90_000): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
  await page.waitForSelector('.monaco-workbench', { timeout: timeoutMs });
  return page;
}
