/**
 * The line a panel (Tag Watch, Frame Debugger) shows while its gateway is not there:
 * the editor's own gateway restarts itself, while an attached one is out of reach or
 * refused, and saying "restarting" about a gateway on another machine would not be true.
 * No vscode import: unit-tested in Node.
 */
import { problemInBrief } from './connectionWords';
import type { GatewayConnection } from './gatewayConnection';

/** Undefined while the gateway runs; `consequence` is what the panel misses ("values are not updating"). */
export function gatewayNotice(gateway: Pick<GatewayConnection, 'state' | 'label' | 'problem'>, isLocal: boolean, consequence: string): string | undefined {
  const { state, label, problem } = gateway;
  if (state === 'running') return undefined;
  if (isLocal) return state === 'stopped' ? `The gateway is not running: ${consequence}.` : `The gateway is ${state}…`;
  const why = problem ? ` (${problemInBrief(problem).replace(/^unreachable: /, '')})` : '';
  switch (state) {
    case 'starting':
      return `Connecting to ${label}…`;
    case 'restarting':
      return `${label} is out of reach${why}: ${consequence}. Trying again.`;
    case 'stopped':
      return `${label} is not connected${why}: ${consequence}.`;
  }
}
