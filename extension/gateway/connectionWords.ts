/**
 * Why a gateway's channel could not be opened or was lost, in the words its node shows:
 * a socket's error code or a WebSocket close code means nothing to someone commissioning
 * a site. No vscode import: unit-tested in Node.
 */

const SOCKET_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused: nothing listens at that port (the gateway is not running, or runs on another port)',
  ECONNRESET: 'the connection was reset',
  ETIMEDOUT: 'no answer (a firewall, or the machine is off)',
  EHOSTUNREACH: 'no route to the machine',
  ENETUNREACH: 'no route to the network',
  ENOTFOUND: 'no such host name',
  EAI_AGAIN: 'the host name could not be looked up (DNS)',
};

/** A socket error (`connect ECONNREFUSED 10.0.4.20:7443`) in plain words; the original when it is not one of the common ones. */
export function socketErrorInWords(error: Error & { code?: unknown }): string {
  return (typeof error.code === 'string' && SOCKET_ERRORS[error.code]) || error.message;
}

/** Why an open channel closed: the WebSocket close code (1006 is no close frame at all) in plain words. */
export function channelCloseInWords(code: number, reason: string): string {
  const said = reason ? `: ${reason}` : '';
  switch (code) {
    case 1000:
    case 1001:
      return `the gateway closed the connection${said || ' (it stopped or restarted)'}`;
    case 1006:
      return 'the connection closed without a word (the gateway stopped, or the network went)';
    default:
      return `the connection closed (WebSocket code ${code}${said})`;
  }
}

/**
 * The first clause of a gateway's problem, for its node's description where a side bar has
 * room for a few words ("its certificate changed"); the tooltip and the log keep all of it.
 */
export function problemInBrief(problem: string): string {
  const cut = problem.search(/ \(|; |\. /);
  return cut > 0 ? problem.slice(0, cut) : problem;
}
