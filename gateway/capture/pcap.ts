/**
 * The capture ring as a classic pcap file (LINKTYPE_ETHERNET, microsecond stamps)
 * that Wireshark and tshark open with no settings.
 *
 * A captured frame has no packet headers of its own (the gateway sees TCP payloads
 * and serial bytes, not packets), so each link becomes one synthetic TCP stream:
 * the gateway (10.66.0.1, one client port per link) talks to the device (its own
 * IPv4 address when the link names one, else 10.66.x.y). tx frames flow client →
 * device, rx frames device → client, with sequence and acknowledgement numbers
 * kept per direction and correct IPv4 and TCP checksums, so Wireshark follows the
 * streams without "bad checksum" or "previous segment not captured" warnings.
 *
 * - Modbus/TCP frames go on server port 502, where Wireshark's mbtcp dissector
 *   picks them up by default.
 * - RTU frames (serial and RTU over TCP) go byte for byte (unit id, PDU, CRC) on
 *   server port 4001, the usual RTU-over-TCP port of serial device servers. Wireshark
 *   4.0 registers its Modbus RTU dissector (mbrtu) on no port, and on port 502 mbtcp
 *   would call them malformed, so they need one "Decode As" rule: TCP port 4001 →
 *   Modbus RTU (tshark: `-d tcp.port==4001,mbrtu`). Keeping the real bytes, CRC
 *   included, matters more than zero settings: a bad CRC is often what one looks for.
 * - ASCII frames are re-framed as RTU (the same unit id and PDU, a CRC computed
 *   for them) because no Wireshark dissector reads Modbus ASCII; a frame whose
 *   characters are not valid ASCII framing goes in as its raw characters.
 * - A proxy's client link ("proxy://NAME/CLIENT") is the other way round: the
 *   client (its own address and port when the link names them) connects to the
 *   gateway on port 502, so its requests (rx) flow client → gateway.
 */
import type { CapturedFrame } from '../api/capture';
import { isProxyLink, isRequestFrame, proxyClientAddress } from '../api/linkFraming';
import { crc16 } from '../protocol/crc16';

const ETHERNET_HEADER = 14;
const IPV4_HEADER = 20;
const TCP_HEADER = 20;
/** pcap's snap length: longer than any Modbus frame plus headers. */
export const SNAPLEN = 65_535;
export const LINKTYPE_ETHERNET = 1;
export const MODBUS_TCP_PORT = 502;
/** Where RTU (and re-framed ASCII) streams go: "Decode As" Modbus RTU in Wireshark. */
export const MODBUS_RTU_PORT = 4001;
const GATEWAY_IP = [10, 66, 0, 1] as const;
const FIRST_CLIENT_PORT = 49_152;

interface Stream {
  clientPort: number;
  serverPort: number;
  clientIp: readonly number[];
  serverIp: readonly number[];
  /** Next sequence number of each direction. */
  toServer: number;
  toClient: number;
}

export interface PcapFilter {
  device?: string;
  /** Captured frame ids, inclusive. */
  fromId?: number;
  toId?: number;
}

/** The frames a pcap carries: those `filter` selects, without "no reply" markers (no bytes crossed the wire). */
export function filterFrames(frames: readonly CapturedFrame[], filter: PcapFilter = {}): CapturedFrame[] {
  return frames.filter(
    (f) =>
      f.hex !== '' &&
      (filter.device === undefined || f.device === filter.device) &&
      (filter.fromId === undefined || f.id >= filter.fromId) &&
      (filter.toId === undefined || f.id <= filter.toId),
  );
}

/** The pcap file for `frames` (oldest first, as the ring's snapshot gives them); empty "no reply" markers are left out. */
export function writePcap(frames: readonly CapturedFrame[]): Buffer {
  const packets = new SyntheticPackets();
  const parts: Buffer[] = [globalHeader()];
  for (const frame of frames) {
    const data = packets.packet(frame);
    if (data) parts.push(recordHeader(frame.ts, data.length), data);
  }
  return Buffer.concat(parts);
}

/**
 * Captured frames as Ethernet packets, one synthetic TCP stream per link, with the
 * sequence numbers each stream has reached: the same packets whatever file format
 * carries them (pcap here, pcapng when recording to disk).
 */
export class SyntheticPackets {
  private readonly streams = new Map<string, Stream>();

  /** The Ethernet frame carrying `frame`; undefined for a "no reply" marker (no bytes crossed the wire). */
  packet(frame: CapturedFrame): Buffer | undefined {
    if (frame.hex === '') return undefined;
    let stream = this.streams.get(frame.link);
    if (!stream) {
      stream = newStream(frame.link, this.streams.size);
      this.streams.set(frame.link, stream);
    }
    return ethernetPacket(frame, stream);
  }
}

function globalHeader(): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0); // microsecond timestamps, little-endian file
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(SNAPLEN, 16);
  header.writeUInt32LE(LINKTYPE_ETHERNET, 20);
  return header;
}

function newStream(link: string, index: number): Stream {
  // Distinct initial sequence numbers per stream make mistakes visible in Wireshark.
  const base = 1000 + index * 100_000;
  const sequences = { toServer: base, toClient: base + 50_000 };
  if (isProxyLink(link)) {
    const client = parseIpv4Endpoint(proxyClientAddress(link) ?? '');
    return {
      clientIp: client?.ip ?? madeUpAddress(index),
      clientPort: client?.port ?? FIRST_CLIENT_PORT + index,
      serverIp: GATEWAY_IP,
      serverPort: MODBUS_TCP_PORT,
      ...sequences,
    };
  }
  const serverPort = link.startsWith('tcp:') ? MODBUS_TCP_PORT : MODBUS_RTU_PORT;
  return { clientIp: GATEWAY_IP, clientPort: FIRST_CLIENT_PORT + index, serverIp: linkAddress(link, index), serverPort, ...sequences };
}

/** "10.0.0.7:50412" → its octets and port; undefined for anything else (IPv6, a name). */
function parseIpv4Endpoint(text: string): { ip: number[]; port: number } | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3}):(\d{1,5})$/.exec(text);
  if (!match) return undefined;
  const ip = match.slice(1, 5).map(Number);
  const port = Number(match[5]);
  if (ip.some((o) => o > 255) || port > 0xffff || ip.join('.') === GATEWAY_IP.join('.')) return undefined;
  return { ip, port };
}

function madeUpAddress(index: number): number[] {
  return [10, 66, 1 + ((index >> 8) & 0xff), index & 0xff];
}

/** The device's address when the link names an IPv4 literal, else a made-up one per link. */
export function linkAddress(link: string, index: number): number[] {
  const match = /^[a-z]+:\/\/(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?::\d+)?/.exec(link);
  const octets = match?.slice(1).map(Number);
  if (octets && octets.every((o) => o <= 255) && octets.join('.') !== GATEWAY_IP.join('.')) return octets;
  return madeUpAddress(index);
}

/** The bytes the TCP segment carries: as captured, except ASCII which no dissector reads. */
export function pcapPayload(frame: CapturedFrame): Buffer {
  const bytes = Buffer.from(frame.hex, 'hex');
  if (!frame.link.startsWith('ascii:')) return bytes;
  const text = bytes.toString('latin1');
  const match = /^:((?:[0-9A-Fa-f]{2})+)\r\n$/.exec(text);
  if (!match) return bytes;
  const body = Buffer.from(match[1], 'hex').subarray(0, -1); // unit id + PDU, without the LRC
  const crc = crc16(body);
  return Buffer.concat([body, Buffer.of(crc & 0xff, crc >>> 8)]);
}

function ethernetPacket(frame: CapturedFrame, stream: Stream): Buffer {
  const payload = pcapPayload(frame);
  // Requests flow client → server: the gateway's to its devices, a proxy client's to the gateway.
  const toServer = isRequestFrame(frame);
  const src = toServer ? stream.clientIp : stream.serverIp;
  const dst = toServer ? stream.serverIp : stream.clientIp;
  const tcp = Buffer.alloc(TCP_HEADER + payload.length);
  tcp.writeUInt16BE(toServer ? stream.clientPort : stream.serverPort, 0);
  tcp.writeUInt16BE(toServer ? stream.serverPort : stream.clientPort, 2);
  tcp.writeUInt32BE((toServer ? stream.toServer : stream.toClient) >>> 0, 4);
  tcp.writeUInt32BE((toServer ? stream.toClient : stream.toServer) >>> 0, 8);
  tcp[12] = (TCP_HEADER / 4) << 4;
  tcp[13] = 0x18; // PSH, ACK
  tcp.writeUInt16BE(65_535, 14);
  payload.copy(tcp, TCP_HEADER);
  tcp.writeUInt16BE(tcpChecksum(src, dst, tcp), 16);
  if (toServer) stream.toServer = (stream.toServer + payload.length) >>> 0;
  else stream.toClient = (stream.toClient + payload.length) >>> 0;

  const ip = Buffer.alloc(IPV4_HEADER);
  ip[0] = 0x45; // version 4, 5 words
  ip.writeUInt16BE(IPV4_HEADER + tcp.length, 2);
  ip.writeUInt16BE(frame.id & 0xffff, 4); // identification: the frame id, to find it again
  ip.writeUInt16BE(0x4000, 6); // don't fragment
  ip[8] = 64;
  ip[9] = 6; // TCP
  Buffer.from(src).copy(ip, 12);
  Buffer.from(dst).copy(ip, 16);
  ip.writeUInt16BE(internetChecksum([ip]), 10);

  const ethernet = Buffer.alloc(ETHERNET_HEADER);
  // Locally administered MACs: 02:00:<ip>, so each host has a stable one.
  Buffer.from([0x02, 0x00, ...dst]).copy(ethernet, 0);
  Buffer.from([0x02, 0x00, ...src]).copy(ethernet, 6);
  ethernet.writeUInt16BE(0x0800, 12);

  return Buffer.concat([ethernet, ip, tcp]);
}

function recordHeader(ts: number, length: number): Buffer {
  const record = Buffer.alloc(16);
  const micros = Math.round(ts * 1000);
  record.writeUInt32LE(Math.floor(micros / 1e6), 0);
  record.writeUInt32LE(micros % 1e6, 4);
  record.writeUInt32LE(length, 8);
  record.writeUInt32LE(length, 12);
  return record;
}

/** RFC 1071: one's complement of the one's complement sum of 16-bit words. */
export function internetChecksum(parts: readonly Uint8Array[]): number {
  let sum = 0;
  for (const part of Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength))).entries()) {
    const [index, byte] = part;
    sum += index % 2 === 0 ? byte << 8 : byte;
  }
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function tcpChecksum(src: readonly number[], dst: readonly number[], segment: Buffer): number {
  const pseudo = Buffer.alloc(12);
  Buffer.from(src).copy(pseudo, 0);
  Buffer.from(dst).copy(pseudo, 4);
  pseudo[9] = 6;
  pseudo.writeUInt16BE(segment.length, 10);
  return internetChecksum([pseudo, segment]);
}
