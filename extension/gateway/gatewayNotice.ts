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

/** What a command that needs a gateway says when that gateway is not there, and what the user can do next. */
export interface CommandRefusal {
  message: string;
  actions: Array<'Restart Gateway' | 'Show Log'>;
}

/**
 * Only the editor's own gateway can be restarted from here, and only a stopped one needs
 * it: one that is starting or restarting will be back by itself, so "try again" is the
 * advice; an attached gateway is reached again by its own retries or by Attach Gateway.
 */
export function commandRefusal(gateway: Pick<GatewayConnection, 'state' | 'label' | 'problem'>, isLocal: boolean): CommandRefusal {
  // Running but without a client yet is the last moment of starting.
  const state = gateway.state === 'running' ? 'starting' : gateway.state;
  if (isLocal) {
    return state === 'stopped'
      ? { message: 'Bifrost: the gateway is not running, so that did nothing. Restart it, or see the log for why it stopped.', actions: ['Restart Gateway', 'Show Log'] }
      : { message: `Bifrost: the gateway is ${state}; try again in a moment.`, actions: ['Show Log'] };
  }
  const notice = gatewayNotice({ ...gateway, state }, false, 'that did nothing');
  return { message: `Bifrost: ${notice}${state === 'starting' ? ' Try again in a moment.' : ''}`, actions: ['Show Log'] };
}
