/**
 * Is this text a host: an IPv4 address, an IPv6 address, or a DNS name? Typed
 * hosts go wrong in known ways — a space, a URL ("http://10.0.0.5"), a port glued
 * on ("10.0.0.5:502"), an octet over 255 — and each would otherwise surface later
 * as a connection error far from the typo. Pure: no lookups, no node:net (webviews
 * share this contract).
 */
import { z } from 'zod';

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

export function isIpv4(text: string): boolean {
  return IPV4.test(text);
}

export function isIpv6(text: string): boolean {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const address = bare.split('%')[0]; // a zone id (fe80::1%eth0) is the interface's business
  if (!/^[0-9a-f:.]+$/i.test(address) || !address.includes(':')) return false;
  const halves = address.split('::');
  if (halves.length > 2) return false;
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const all = [...groups(halves[0]), ...groups(halves[1] ?? '')];
  // An embedded IPv4 (::ffff:10.0.0.1) counts as two groups.
  const last = all.at(-1);
  const embedded = last !== undefined && last.includes('.');
  if (embedded && !isIpv4(last)) return false;
  const hex = embedded ? all.slice(0, -1) : all;
  if (!hex.every((group) => /^[0-9a-f]{1,4}$/i.test(group))) return false;
  const count = hex.length + (embedded ? 2 : 0);
  return halves.length === 2 ? count < 8 : count === 8;
}

export function isDnsName(text: string): boolean {
  const name = text.endsWith('.') ? text.slice(0, -1) : text;
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.split('.');
  // All digits and dots is meant as an IPv4 address: 10.0.0.300 is a typo, not a name.
  if (labels.every((label) => /^\d+$/.test(label))) return false;
  return labels.every((label) => LABEL.test(label));
}

/** Why `text` is not a host, in plain words, or undefined when it is one. */
export function hostProblem(text: string): string | undefined {
  const value = text.trim();
  if (value === '') return 'must not be empty';
  if (value !== text) return 'must not start or end with spaces';
  if (isIpv4(value) || isIpv6(value) || isDnsName(value)) return undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return `must be a host, not a URL: write ${JSON.stringify(value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[/:]/)[0])}`;
  const glued = /^([^:\s]+):(\d+)$/.exec(value);
  if (glued) return `must be the host alone; the port goes in its own field (${glued[1]} and ${glued[2]})`;
  if (/\s/.test(value)) return `must be a host name or IP address without spaces, not ${JSON.stringify(value)}`;
  if (/^[\d.]+$/.test(value)) return `must be an IP address with four numbers 0–255 (like 192.168.1.20), not ${JSON.stringify(value)}`;
  return `must be a host name or IP address (like 192.168.1.20, plc-3.local or fe80::1), not ${JSON.stringify(value)}`;
}

/** A host field of the contract: refuses what is not a host, in plain words. */
export function hostName(): z.ZodString {
  return z.string().check((ctx) => {
    const problem = hostProblem(ctx.value);
    if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
  });
}
