/** `frames.decode`: the frame debugger's bytes → field tree, answered from the protocol decoder. */
import type { z } from 'zod';
import type { FrameDecodeParams } from '../api/frames';
import { decodeFrame } from '../protocol/decoder';
import type { MethodHandlers } from './dispatcher';
import { ChannelRequestError } from './requestError';

/** Separators people paste between bytes ("01 03", "01:03", "0x01,0x03") are ignored. */
const SEPARATORS = /0x|[\s:,-]/gi;

export function parseHexBytes(text: string): Buffer {
  const digits = text.replace(SEPARATORS, '');
  const bad = digits.search(/[^0-9a-fA-F]/);
  if (bad >= 0) throw new ChannelRequestError('invalid_params', `hex: ${JSON.stringify(digits[bad])} is not a hex digit`);
  if (digits.length % 2 === 1) throw new ChannelRequestError('invalid_params', `hex: ${digits.length} digits, a byte takes two`);
  return Buffer.from(digits, 'hex');
}

export function parseBase64Bytes(text: string): Buffer {
  const compact = text.replace(/\s/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) {
    throw new ChannelRequestError('invalid_params', 'base64: not a base64 string');
  }
  return Buffer.from(compact, 'base64');
}

function frameBytes(params: z.output<typeof FrameDecodeParams>): Buffer {
  if (params.hex !== undefined) return parseHexBytes(params.hex);
  if (params.base64 !== undefined) return parseBase64Bytes(params.base64);
  return Buffer.from(params.text ?? '', 'latin1');
}

export function createFrameHandlers(): Pick<MethodHandlers, 'frames.decode'> {
  return {
    'frames.decode': (params) =>
      decodeFrame(frameBytes(params), { framing: params.framing, direction: params.direction }),
  };
}
