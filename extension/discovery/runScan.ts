/**
 * Runs one discovery scan through the gateway behind a cancellable progress
 * notification: "unit 17 · 17/247 probed · 2 found". Cancel asks the gateway to
 * stop after the unit it is probing; the scan then answers with what it found.
 */
import * as vscode from 'vscode';
import type { DiscoveredUnit, MethodParams } from '../../gateway/api';
import type { GatewayClient } from '../gateway/gatewayConnection';
import { errorMessage, type Logger } from '../util/logger';
import { transportLabel } from './discoveredUnits';

export type ScanRequest = MethodParams<'discovery.scan'> & { unitIds: { from: number; to: number }; timeoutMs: number };

/** Requests a found unit costs at most: FC 3, up to four 43/14 rounds, FC 17. */
const PROBES_PER_FOUND_UNIT = 6;
/** Slack for link setup and wire time on top of the timeouts. */
const REQUEST_SLACK_MS = 30_000;

export interface ScanOutcome {
  found: DiscoveredUnit[];
  cancelled: boolean;
}

export async function runScan(client: GatewayClient, request: ScanRequest, logger: Logger): Promise<ScanOutcome> {
  const where = transportLabel(request.transport);
  const total = request.unitIds.to - request.unitIds.from + 1;
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Discovering Modbus units ${request.unitIds.from}–${request.unitIds.to} on ${where}`, cancellable: true },
    async (progress, token) => {
      let found = 0;
      let cancelled = false;
      const subscriptions = [
        client.onEvent('discovery.found', (unit) => {
          found++;
          logger.info(`discovery: unit ${unit.unitId} answered on ${where} (${unit.answers.join(', ')})`);
        }),
        client.onEvent('discovery.progress', ({ unitId, done }) => {
          progress.report({ increment: 100 / total, message: `unit ${unitId} · ${done}/${total} probed · ${found} found` });
        }),
        token.onCancellationRequested(() => {
          cancelled = true;
          client.request('discovery.cancel', {}).catch((error: unknown) => logger.warn(`cannot cancel the scan: ${errorMessage(error)}`));
        }),
      ];
      try {
        // The scan answers when every id is probed: allow each its timeout (and a found one its follow-ups).
        const timeoutMs = total * request.timeoutMs * PROBES_PER_FOUND_UNIT + REQUEST_SLACK_MS;
        const result = await client.request('discovery.scan', request, { timeoutMs });
        logger.info(`discovery: ${result.found.length} unit(s) answered on ${where}${cancelled ? ' before the scan was cancelled' : ''}`);
        return { found: result.found, cancelled };
      } finally {
        for (const subscription of subscriptions) subscription.dispose();
      }
    },
  );
}
