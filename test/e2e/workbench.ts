// Shared steps for the E2E tests: the Bifrost sidebar, the command palette, the active
// webview's page (two frames deep), waiting on conditions, and theme switching.
import * as assert from 'node:assert';
import type { FrameLocator, Locator, Page } from 'playwright-core';

export async function openBifrostSidebar(page: Page): Promise<Locator> {
  const bar = page.locator('.part.activitybar');
  await bar.getByRole('tab', { name: /^Bifrost\b/ }).or(bar.locator('[aria-label^="Bifrost"]')).first().click();
  const tree = page.getByRole('tree', { name: 'Devices' });
  await tree.getByRole('treeitem').filter({ hasText: 'Demo' }).first().waitFor({ timeout: 60_000 });
  return tree;
}

/** Runs a command by its palette title ("Bifrost: Watch Tags…"): F1, type, pick the exact entry. */
export async function runCommand(page: Page, title: string): Promise<void> {
  // Focus back in the workbench (a webview may hold it): the side bar's title is a harmless spot.
  await page.locator('.part.sidebar .title-label').first().click({ timeout: 2000 }).catch(() => undefined);
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ timeout: 10_000 });
  await input.fill(`>${title}`);
  const entry = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: title }).first();
  await entry.waitFor({ timeout: 10_000 });
  await entry.click();
}

/** The page inside the visible webview: frameLocator two frames deep. */
export function activeWebview(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready:visible').frameLocator('#active-frame');
}

/** Polls `read` until `accept` holds; fails with the last value read (not a timing assertion). */
export async function waitUntil<T>(read: () => Promise<T>, accept: (value: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    try {
      last = await read();
      if (accept(last)) return last;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) assert.fail(`${what}: last seen ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export const THEMES = { light: 'Default Light Modern', dark: 'Default Dark Modern' } as const;

/**
 * Switches the colour theme as a user does ("Preferences: Color Theme", which stores
 * `workbench.colorTheme` in the user settings) and waits for workbench and webview to follow.
 */
export async function useTheme(page: Page, theme: keyof typeof THEMES, options: { webview?: boolean } = {}): Promise<void> {
  await runCommand(page, 'Preferences: Color Theme');
  const input = page.locator('.quick-input-widget input.input');
  await input.fill(THEMES[theme]);
  // Click the theme itself: Enter could land on "Browse Additional Color Themes…".
  await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: THEMES[theme] }).filter({ hasNotText: 'Browse' }).first().click();
  const want = theme === 'light' ? /\bvs\b(?!-)/ : /\bvs-dark\b/;
  await waitUntil(
    async () => (await page.locator('.monaco-workbench').getAttribute('class')) ?? '',
    (cls) => want.test(cls),
    `workbench did not switch to the ${theme} theme`,
  );
  // The webview's body carries vscode-light / vscode-dark once VS Code pushed the new theme in.
  const body = theme === 'light' ? 'vscode-light' : 'vscode-dark';
  if (options.webview !== false) {
    await waitUntil(
      async () => (await activeWebview(page).locator('body').getAttribute('class')) ?? '',
      (cls) => cls.split(/\s+/).includes(body),
      `webview did not switch to ${body}`,
    );
  }
  await page.mouse.move(5, 450); // no hover tooltip in the screenshot
  await page.waitForTimeout(400); // let the theme's transitions finish before a screenshot
}
