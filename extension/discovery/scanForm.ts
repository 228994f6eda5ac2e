/**
 * The questions before a scan: transport kind, how the link is reached, the unit
 * id range and the per-unit timeout. Escape at any question answers undefined and
 * nothing is scanned.
 */
import { UnitIdRange } from '../../gateway/api';
import { askNumber, askText, firstIssue, Steps } from '../ui/inputSteps';
import { askTransportDetails, pickTransportKind, transportQuestionCount, type TransportContext } from '../ui/transportSteps';
import { OperationMethods } from '../../gateway/api';
import type { ScanRequest } from './runScan';
import { defaultTimeoutMs, defaultUnitRange, formatUnitRange, parseUnitRange } from './unitRange';

const TimeoutMs = OperationMethods['discovery.scan'].params.shape.timeoutMs;

export async function askScanRequest(context: TransportContext): Promise<ScanRequest | undefined> {
  const steps = new Steps('Discover Devices', 3);
  const kind = await pickTransportKind(steps, ['tcp', 'rtutcp', 'rtu', 'ascii', 'demo']);
  if (kind === undefined) return undefined;
  steps.total = 3 + transportQuestionCount(kind);
  const transport = await askTransportDetails(steps, kind, context);
  if (transport === undefined) return undefined;
  const rangeText = await askText(
    steps,
    'Unit ids',
    'Which unit ids to probe: a range such as 1-247, or one id. Each silent id costs one timeout.',
    formatUnitRange(defaultUnitRange(kind)),
    (value) => {
      const parsed = parseUnitRange(value);
      return parsed.ok ? firstIssue(UnitIdRange, parsed.range) : parsed.error;
    },
  );
  if (rangeText === undefined) return undefined;
  const parsed = parseUnitRange(rangeText);
  if (!parsed.ok) return undefined;
  const timeoutMs = await askNumber(steps, 'Timeout (ms)', 'How long to wait for each unit id to answer', defaultTimeoutMs(kind), TimeoutMs);
  if (timeoutMs === undefined) return undefined;
  return { transport, unitIds: parsed.range, timeoutMs };
}
