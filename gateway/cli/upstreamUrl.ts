/**
 * The --upstream of `bifrost-gateway proxy`, as a device transport:
 *   tcp://HOST[:PORT]                         Modbus TCP (port 502 by default)
 *   rtutcp://HOST:PORT                        RTU frames over TCP (a serial-to-Ethernet converter)
 *   rtu:///dev/ttyUSB0?baud=19200&parity=none&stopBits=1
 *   ascii:///dev/ttyUSB0?baud=9600&parity=even
 */
import { DEFAULT_TCP_PORT, formatPath, Transport } from '../api/config';
import { plainIssue } from '../api/plainIssues';
import { UsageError } from './usageError';

/** `command` and `what` name the argument in errors: the proxy's --upstream, or the URL of read, write and scan. */
export function parseUpstream(text: string, command = 'proxy', what = '--upstream'): Transport {
  const usage = (text: string, why: string) => new UsageError(`${what} "${text}": ${why}`, command);
  const checked = (candidate: unknown, text: string): Transport => {
    const result = Transport.safeParse(candidate);
    if (result.success) return result.data;
    throw usage(text, plainIssue(result.error.issues[0], formatPath));
  };
  const match = /^([a-z]+):\/\/(.*)$/.exec(text);
  if (!match) throw usage(text, 'it has no scheme');
  const [, scheme, rest] = match;
  switch (scheme) {
    case 'tcp':
    case 'rtutcp': {
      const hostPort = /^(?:\[([^\]]+)\]|([^:/?]+))(?::(\d+))?\/?$/.exec(rest);
      if (!hostPort) throw usage(text, 'expected HOST:PORT after the scheme');
      const port = hostPort[3] === undefined ? (scheme === 'tcp' ? DEFAULT_TCP_PORT : undefined) : Number(hostPort[3]);
      if (port === undefined) throw usage(text, 'rtutcp needs a port');
      return checked({ kind: scheme, host: hostPort[1] ?? hostPort[2], port }, text);
    }
    case 'rtu':
    case 'ascii': {
      const [path, query = ''] = rest.split('?');
      if (!path.startsWith('/') && !/^COM\d+$/i.test(path)) throw usage(text, 'expected a serial port path like rtu:///dev/ttyUSB0');
      const params = new URLSearchParams(query);
      const line: Record<string, unknown> = { kind: scheme, path };
      for (const [key, value] of params) {
        if (key === 'baud' || key === 'baudRate') line.baudRate = Number(value);
        else if (key === 'parity') line.parity = value;
        else if (key === 'stopBits') line.stopBits = Number(value);
        else if (key === 'dataBits') line.dataBits = Number(value);
        else throw usage(text, `unknown setting "${key}" (baud, parity, stopBits, dataBits)`);
      }
      return checked(line, text);
    }
    default:
      throw usage(text, `unknown scheme "${scheme}" (tcp, rtutcp, rtu, ascii)`);
  }
}

