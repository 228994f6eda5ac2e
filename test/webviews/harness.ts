// Loads a webview bundle into Debian's Chromium the way VS Code would: the same HTML
// shell and CSP as extension/ui/html.ts, served from a fake webview origin, with a
// fake `acquireVsCodeApi` that records what the page posts and keeps its state.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { renderWebviewHtml } from '../../extension/ui/html';
import { THEMES, type ThemeName } from './theme';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
const ORIGIN = 'https://webview.test';

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export interface PanelOptions {
  bundle: string;
  theme?: ThemeName;
  savedState?: unknown;
  width?: number;
  height?: number;
  reducedMotion?: boolean;
}

/** A webview page with its fake VS Code API; `sent` lists what the page posted. */
export class WebviewPage {
  private answered = new Set<number>();

  constructor(readonly page: Page) {}

  /** What the page posted to the "extension host". */
  sent(): Promise<Array<{ kind: string; method: string; id?: number; params: unknown }>> {
    return this.page.evaluate(() => (window as unknown as { __sent: never[] }).__sent);
  }

  state(): Promise<unknown> {
    return this.page.evaluate(() => (window as unknown as { __state: unknown }).__state);
  }

  violations(): Promise<string[]> {
    return this.page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
  }

  /** Posts a message as the host would (webview.postMessage arrives as a window message). */
  post(message: unknown): Promise<void> {
    return this.page.evaluate((m) => window.postMessage(m, '*'), message);
  }

  notify(method: string, params: unknown): Promise<void> {
    return this.post({ kind: 'notification', method, params });
  }

  /** Waits for the next unanswered request named `method` and returns it. */
  async nextRequest(method: string, timeoutMs = 5000): Promise<{ id: number; params: unknown }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const request = (await this.sent()).find((m) => m.kind === 'request' && m.method === method && !this.answered.has(m.id!));
      if (request) {
        this.answered.add(request.id!);
        return { id: request.id!, params: request.params };
      }
      if (Date.now() > deadline) throw new Error(`no ${method} request within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  respond(id: number, result: unknown): Promise<void> {
    return this.post({ kind: 'response', id, ok: true, result });
  }

  respondError(id: number, error: string): Promise<void> {
    return this.post({ kind: 'response', id, ok: false, error });
  }

  async setTheme(theme: ThemeName): Promise<void> {
    const { vars, bodyClass } = THEMES[theme];
    await this.page.evaluate(
      ({ vars, bodyClass }) => {
        for (const [name, value] of Object.entries(vars)) document.documentElement.style.setProperty(name, value);
        document.body.classList.remove('vscode-dark', 'vscode-light');
        document.body.classList.add(bodyClass);
      },
      { vars, bodyClass },
    );
  }
}

export async function openPanel(browser: Browser, options: PanelOptions): Promise<WebviewPage> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1100, height: options.height ?? 640 },
    reducedMotion: options.reducedMotion ? 'reduce' : 'no-preference',
  });
  const page = await context.newPage();
  const dist = path.join(REPO_ROOT, 'dist', 'webviews');
  const html = renderWebviewHtml({
    cspSource: ORIGIN,
    nonce: 'dGVzdC1ub25jZQ==',
    title: 'test',
    scriptUri: `${ORIGIN}/dist/webviews/${options.bundle}.js`,
    styleUri: `${ORIGIN}/dist/webviews/${options.bundle}.css`,
  });
  await page.route(`${ORIGIN}/**`, async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/index.html') return route.fulfill({ body: html, contentType: 'text/html' });
    const file = path.join(dist, path.basename(url.pathname));
    if (!url.pathname.startsWith('/dist/webviews/') || !fs.existsSync(file)) return route.fulfill({ status: 404 });
    return route.fulfill({ body: fs.readFileSync(file), contentType: file.endsWith('.css') ? 'text/css' : 'text/javascript' });
  });
  const theme = THEMES[options.theme ?? 'dark'];
  // tsx compiles with esbuild's keepNames, which wraps named functions in the callbacks
  // handed to the page in __name(…); the page has no such helper.
  await page.addInitScript({ content: 'window.__name = (f) => f;' });
  await page.addInitScript(
    ({ vars, bodyClass, savedState }) => {
      const w = window as unknown as Record<string, unknown>;
      w.__sent = [];
      w.__state = savedState;
      w.__violations = [];
      w.__errors = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        (w.__violations as string[]).push(`${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber} ${e.sample}`),
      );
      window.addEventListener('error', (e) => (w.__errors as string[]).push(String(e.message)));
      let acquired = false;
      w.acquireVsCodeApi = () => {
        if (acquired) throw new Error('acquireVsCodeApi called twice');
        acquired = true;
        return {
          postMessage: (m: unknown) => (w.__sent as unknown[]).push(JSON.parse(JSON.stringify(m))),
          getState: () => w.__state,
          setState: (s: unknown) => (w.__state = JSON.parse(JSON.stringify(s))),
        };
      };
      // VS Code sets the theme's variables on <html> and its kind as a class on <body>.
      // Init scripts run before <html> exists: set them as soon as it does, before any script.
      const observer = new MutationObserver(() => {
        if (!document.documentElement) return;
        observer.disconnect();
        for (const [name, value] of Object.entries(vars)) document.documentElement.style.setProperty(name, value);
      });
      observer.observe(document, { childList: true });
      document.addEventListener('DOMContentLoaded', () => document.body.classList.add(bodyClass));
    },
    { vars: theme.vars, bodyClass: theme.bodyClass, savedState: options.savedState },
  );
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(`${ORIGIN}/index.html`);
  const panel = new WebviewPage(page);
  const deadline = Date.now() + 10_000;
  while (!(await panel.sent()).some((m) => m.kind === 'command' && m.method === 'webview.ready')) {
    if (Date.now() > deadline) throw new Error(`the page never said ready; errors: ${errors.join('; ') || 'none'}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return panel;
}

/**
 * Polls `probe` until it yields a value. The deadline is generous on purpose: it only
 * bounds a broken test, and a loaded 2-core machine can take seconds to paint.
 */
export async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
