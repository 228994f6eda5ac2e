// A proxy from the command palette: a workspace whose bifrost.json has the demo device and
// a proxy on a free port; "Bifrost: Start Proxy" picks it; mbpoll reads ten holding
// registers through it; a second, continuous mbpoll shows as a client under the proxy in
// the Proxies view; "Bifrost: Stop Proxy" stops it and the port refuses connections.
import * as assert from 'node:assert';
import * as path from 'node:path';
import { DEMO_NEGATIVE_VALUE } from '../../gateway/api';
import { findFreePort } from '../realhost/codeServer';
import {
  mbpollContinuous, mbpollOnce, openProxiesView, probePort, proxyRow, revealRow, rowDescription, runPaletteCommand,
  stopProcess, writeProxyWorkspace,
} from './proxyHelpers';
import type { E2ETest } from './runE2E';
import { waitUntil } from './workbench';

const PROXY = 'SCADA proxy';

export const test: E2ETest = {
  name: 'proxy started and stopped from the palette, read through with mbpoll',
  async run(ctx) {
    const ws = ctx.newWorkspace();
    const port = await findFreePort();
    writeProxyWorkspace(ws, PROXY, port);
    const page = await ctx.open(ws);
    const tree = await openProxiesView(page, PROXY);
    const row = proxyRow(tree, PROXY);
    await waitUntil(() => rowDescription(row), (d) => d.includes(`127.0.0.1:${port}`) && d.includes('stopped'), 'the proxy row before start');
    assert.strictEqual(await probePort(port), 'ECONNREFUSED', 'nothing listens before the proxy starts');

    await runPaletteCommand(page, 'Bifrost: Start Proxy', PROXY);
    await waitUntil(() => rowDescription(row), (d) => /· \d+ clients? ·/.test(d), 'the proxy row to show it running');

    const read = await mbpollOnce(port);
    assert.strictEqual(read.code, 0, `mbpoll failed (exit ${read.code}):\n${read.stdout}\n${read.stderr}`);
    assert.strictEqual(read.values.size, 10, `ten registers read:\n${read.stdout}`);
    // Register 4 (HR:3) is the demo's fixed negative int16 (mbpoll prints it unsigned); register 1 the counter.
    assert.strictEqual(((read.values.get(4) ?? 0) << 16) >> 16, DEMO_NEGATIVE_VALUE, `register 4:\n${read.stdout}`);
    assert.ok(Number.isInteger(read.values.get(1)), 'the counter reads as a number');

    const poller = mbpollContinuous(port);
    try {
      const clientRow = tree.getByRole('treeitem').filter({ hasText: /127\.0\.0\.1:\d+/ }).filter({ hasNotText: PROXY }).first();
      await revealRow(tree, clientRow, 20_000);
      await waitUntil(() => rowDescription(clientRow), (d) => /^[1-9]\d* requests? · \d+ errors?/.test(d), 'the client row with its requests');
      await waitUntil(() => rowDescription(row), (d) => d.includes('1 client'), 'the proxy row counting the client');
      await page.mouse.move(700, 450); // no hover tooltip in the screenshot
      await page.screenshot({ path: path.join(ctx.resultsDir, 'e2e-proxy.png') });
    } finally {
      await stopProcess(poller);
    }

    await runPaletteCommand(page, 'Bifrost: Stop Proxy', PROXY);
    await waitUntil(() => rowDescription(row), (d) => d.endsWith('stopped'), 'the proxy row to show it stopped');
    assert.strictEqual(await probePort(port), 'ECONNREFUSED', 'the port is closed once the proxy stopped');
  },
};
