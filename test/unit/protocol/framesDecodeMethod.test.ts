/** `frames.decode` through the channel dispatcher: params validation, hex/base64/text input, the contract. */
import assert from 'node:assert/strict';
import { DecodedFrame } from '../../../gateway/api/frames';
import { dispatch, type MethodHandlers } from '../../../gateway/channel/dispatcher';
import { createFrameHandlers } from '../../../gateway/channel/frameHandlers';
import { silentLogger } from '../../../gateway/engine/logger';

// Only frames.decode is exercised; the other methods are never called here.
const handlers = createFrameHandlers() as unknown as MethodHandlers;
const call = async (params: unknown) =>
  dispatch(JSON.stringify({ type: 'request', id: 1, method: 'frames.decode', params }), handlers, silentLogger, { watchFrames: () => 0 });

describe('frames.decode method', () => {
  it('decodes hex with separators, base64 and ASCII text to the same frame', async () => {
    const fromHex = await call({ hex: '01 03 00:00-00 0A C5 CD', framing: 'rtu' });
    assert.ok(fromHex.ok);
    const frame = DecodedFrame.parse(fromHex.result);
    assert.equal(frame.summary, 'Read Holding Registers 0–9 (10) unit 1 (direction inferred: request)');
    const fromBase64 = await call({ base64: Buffer.from('01030000000ac5cd', 'hex').toString('base64'), framing: 'rtu' });
    assert.ok(fromBase64.ok);
    assert.deepEqual(fromBase64.result, fromHex.result);
    const fromText = await call({ text: ':010300000001FB\r\n', framing: 'ascii', direction: 'request' });
    assert.ok(fromText.ok);
    assert.deepEqual(DecodedFrame.parse(fromText.result).problems, []);
  });

  it('answers a broken frame with its problems, not an error', async () => {
    const reply = await call({ hex: '0103000a', framing: 'rtu' });
    assert.ok(reply.ok);
    assert.ok(DecodedFrame.parse(reply.result).problems.length > 0);
  });

  it('answers invalid hex, odd digits, bad base64 and missing bytes with invalid_params', async () => {
    for (const params of [
      { hex: '01 0G', framing: 'rtu' },
      { hex: '010', framing: 'rtu' },
      { base64: '!!', framing: 'tcp' },
      { framing: 'tcp' },
      { hex: '01', base64: 'AQ==', framing: 'tcp' },
      { hex: '01', framing: 'udp' },
    ]) {
      const reply = await call(params);
      assert.ok(!reply.ok && reply.error.code === 'invalid_params', JSON.stringify(params));
    }
  });
});
