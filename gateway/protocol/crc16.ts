/**
 * CRC-16/MODBUS (polynomial 0xA001 reflected, initial 0xFFFF), as RTU frames carry
 * it: low byte first on the wire. Table-driven: a scan of a busy bus checks
 * thousands of frames a second.
 */

const TABLE = (() => {
  const table = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let crc = n;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
    table[n] = crc;
  }
  return table;
})();

export function crc16(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffff;
  for (let i = start; i < end; i++) crc = (crc >>> 8) ^ TABLE[(crc ^ bytes[i]) & 0xff];
  return crc;
}

/** True when the last two bytes are the CRC of the rest, low byte first. */
export function hasValidCrc(frame: Uint8Array): boolean {
  if (frame.length < 3) return false;
  const expected = crc16(frame, 0, frame.length - 2);
  return frame[frame.length - 2] === (expected & 0xff) && frame[frame.length - 1] === expected >>> 8;
}

/** `body` followed by its CRC, low byte first. */
export function appendCrc(body: Uint8Array): Buffer {
  const crc = crc16(body);
  const frame = Buffer.alloc(body.length + 2);
  frame.set(body, 0);
  frame[body.length] = crc & 0xff;
  frame[body.length + 1] = crc >>> 8;
  return frame;
}

/**
 * The length of the shortest run of `bytes` from `start`, at least `minLength` and
 * at most `maxLength` bytes, whose last two bytes are the CRC of the rest; 0 when
 * there is none. One pass, the CRC carried from one length to the next: a splitter
 * looking for a frame end in noise must not pay a whole CRC per candidate length.
 */
export function shortestCrcRun(bytes: Uint8Array, start: number, minLength: number, maxLength: number): number {
  const last = Math.min(maxLength, bytes.length - start);
  let crc = 0xffff;
  for (let i = start; i < start + minLength - 2; i++) crc = (crc >>> 8) ^ TABLE[(crc ^ bytes[i]) & 0xff];
  for (let length = minLength; length <= last; length++) {
    const at = start + length - 2;
    if (bytes[at] === (crc & 0xff) && bytes[at + 1] === crc >>> 8) return length;
    crc = (crc >>> 8) ^ TABLE[(crc ^ bytes[at]) & 0xff];
  }
  return 0;
}
