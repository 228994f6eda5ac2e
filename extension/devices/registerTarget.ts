/**
 * What a Registers panel (or the value finder, or a tag preview) reads: a configured
 * device, or an endpoint typed on the spot. Also the endpoint text people type in
 * the palette: `tcp://host:port`, `rtutcp://host:port`, `host:port` or a bare host
 * (port 502), optionally with ` #unit`. No vscode import: unit-tested.
 */
import { DEFAULT_TCP_PORT, type AdHocEndpointInput, type BifrostConfig, type RegisterTargetInput } from '../../gateway/api';

export type RegisterTargetInfo =
  | { kind: 'device'; device: string; label: string; addressBase: 0 | 1; readOnly: boolean }
  | { kind: 'endpoint'; endpoint: AdHocEndpointInput; label: string; addressBase: 0 | 1; readOnly: false };

export function targetParams(target: RegisterTargetInfo): RegisterTargetInput {
  return target.kind === 'device' ? { device: target.device } : { endpoint: target.endpoint };
}

/** A configured device as a target; the built-in demo (no bifrost.json) counts as base 0, writable. */
export function deviceTarget(name: string, config: BifrostConfig | null | undefined): RegisterTargetInfo {
  const device = config?.devices.find((d) => d.name === name);
  return { kind: 'device', device: name, label: name, addressBase: device?.addressBase ?? 0, readOnly: device?.readOnly ?? false };
}

export function endpointLabelOf(endpoint: AdHocEndpointInput): string {
  const t = endpoint.transport;
  const unit = `#${endpoint.unitId ?? 1}`;
  if (t.kind === 'tcp' || t.kind === 'rtutcp') return `${t.kind}://${t.host}:${t.port ?? DEFAULT_TCP_PORT} ${unit}`;
  if (t.kind === 'rtu' || t.kind === 'ascii') return `${t.kind}://${t.path} ${unit}`;
  return `${t.kind} ${unit}`;
}

export function endpointTarget(endpoint: AdHocEndpointInput): RegisterTargetInfo {
  return { kind: 'endpoint', endpoint, label: endpointLabelOf(endpoint), addressBase: 0, readOnly: false };
}

export type EndpointParse = { ok: true; endpoint: AdHocEndpointInput } | { ok: false; error: string };

/** `tcp://10.0.0.5:502 #3`, `rtutcp://10.0.0.9:4001`, `10.0.0.5:1502`, `plc.local`; unit 1 unless ` #n` says otherwise. */
export function parseEndpointText(text: string): EndpointParse {
  const match = /^\s*(?:(tcp|rtutcp):\/\/)?([A-Za-z0-9_.-]+|\[[0-9a-fA-F:]+\])(?::(\d+))?\s*(?:#\s*(\d+))?\s*$/.exec(text);
  if (!match) return { ok: false, error: `"${text}": expected tcp://host:port (or rtutcp://host:port), optionally followed by #unit, e.g. tcp://10.0.0.5:502 #1` };
  const [, scheme, host, portText, unitText] = match;
  const port = portText === undefined ? DEFAULT_TCP_PORT : Number(portText);
  if (port < 1 || port > 65535) return { ok: false, error: `port ${portText} is not 1–65535` };
  const unitId = unitText === undefined ? 1 : Number(unitText);
  if (unitId > 255) return { ok: false, error: `unit ${unitText} is not 0–255` };
  return { ok: true, endpoint: { transport: { kind: scheme === 'rtutcp' ? 'rtutcp' : 'tcp', host: host.replace(/^\[|\]$/g, ''), port }, unitId } };
}
