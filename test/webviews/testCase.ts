import type { Browser } from 'playwright-core';

/** One webview test: pure ones ignore the browser, page ones open their page in it. */
export interface TestCase {
  name: string;
  run(browser: Browser): Promise<void> | void;
}
