/**
 * Which client addresses may connect. No list: everyone (a proxy listens on
 * 127.0.0.1 by default). A list, even an empty one: only the addresses and CIDR
 * ranges on it, every other client refused (Messaging Implementation Guide: an IP
 * allow-list denies by default).
 */
import net from 'node:net';

export class ClientAllowList {
  private readonly list?: net.BlockList;

  /** `rules` were validated by the config schema (proxyConfig.ts). */
  constructor(rules: readonly string[] | undefined) {
    if (rules === undefined) return;
    this.list = new net.BlockList();
    for (const rule of rules) {
      const [address, prefix] = rule.split('/');
      const type = net.isIPv6(address) ? 'ipv6' : 'ipv4';
      if (prefix === undefined) this.list.addAddress(address, type);
      else this.list.addSubnet(address, Number(prefix), type);
    }
  }

  allows(remoteAddress: string | undefined): boolean {
    if (!this.list) return true;
    if (remoteAddress === undefined) return false;
    // A dual-stack server reports IPv4 clients as ::ffff:a.b.c.d; rules name them as a.b.c.d.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(remoteAddress);
    if (mapped) return this.list.check(mapped[1], 'ipv4') || this.list.check(remoteAddress, 'ipv6');
    return this.list.check(remoteAddress, net.isIPv6(remoteAddress) ? 'ipv6' : 'ipv4');
  }
}
