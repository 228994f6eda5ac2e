/**
 * pcapng blocks for recording to disk (the pcapng specification, IETF draft
 * "PCAP Next Generation Dump File Format"): a Section Header, one Ethernet
 * Interface Description with microsecond timestamps, then one Enhanced Packet per
 * frame. pcapng rather than classic pcap because a file cut short (the gateway
 * killed mid-write) still opens up to its last whole block, and each file of a
 * rotation is complete on its own. Little-endian, as written on every machine we run.
 */
import { LINKTYPE_ETHERNET, SNAPLEN } from './pcap';

const SECTION_HEADER = 0x0a0d0d0a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const INTERFACE_DESCRIPTION = 0x00000001;
const ENHANCED_PACKET = 0x00000006;
const OPTION_END = 0;
const IF_TSRESOL = 9;
const SHB_USERAPPL = 4;

/** Section Header + Interface Description: what every file starts with. */
export function pcapngFileHeader(application: string): Buffer {
  const userAppl = option(SHB_USERAPPL, Buffer.from(application, 'utf8'));
  const shbBody = Buffer.alloc(16);
  shbBody.writeUInt32LE(BYTE_ORDER_MAGIC, 0);
  shbBody.writeUInt16LE(1, 4); // major version
  shbBody.writeUInt16LE(0, 6); // minor version
  shbBody.writeBigInt64LE(-1n, 8); // section length: not given
  const shb = block(SECTION_HEADER, Buffer.concat([shbBody, userAppl, endOfOptions()]));

  const idbBody = Buffer.alloc(8);
  idbBody.writeUInt16LE(LINKTYPE_ETHERNET, 0);
  idbBody.writeUInt32LE(SNAPLEN, 4);
  const idb = block(INTERFACE_DESCRIPTION, Buffer.concat([idbBody, option(IF_TSRESOL, Buffer.of(6)), endOfOptions()]));
  return Buffer.concat([shb, idb]);
}

/** One packet on interface 0, `ts` in epoch milliseconds (microseconds kept). */
export function pcapngPacket(ts: number, data: Buffer): Buffer {
  const micros = BigInt(Math.round(ts * 1000));
  const header = Buffer.alloc(20);
  header.writeUInt32LE(0, 0); // interface id
  header.writeUInt32LE(Number(micros >> 32n), 4);
  header.writeUInt32LE(Number(micros & 0xffffffffn), 8);
  header.writeUInt32LE(data.length, 12); // captured length
  header.writeUInt32LE(data.length, 16); // original length
  return block(ENHANCED_PACKET, Buffer.concat([header, padded(data)]));
}

function block(type: number, body: Buffer): Buffer {
  const length = 12 + body.length;
  const out = Buffer.alloc(length);
  out.writeUInt32LE(type, 0);
  out.writeUInt32LE(length, 4);
  body.copy(out, 8);
  out.writeUInt32LE(length, length - 4);
  return out;
}

function option(code: number, value: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt16LE(code, 0);
  header.writeUInt16LE(value.length, 2);
  return Buffer.concat([header, padded(value)]);
}

function endOfOptions(): Buffer {
  return Buffer.alloc(4, OPTION_END);
}

/** Blocks and option values are padded to 32 bits. */
function padded(data: Buffer): Buffer {
  const pad = (4 - (data.length % 4)) % 4;
  return pad === 0 ? data : Buffer.concat([data, Buffer.alloc(pad)]);
}
