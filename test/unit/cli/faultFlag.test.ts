import assert from 'node:assert/strict';
import { parseFaultFlags } from '../../../gateway/cli/faultFlag';
import { UsageError } from '../../../gateway/cli/usageError';

describe('simulate --fault', () => {
  it('reads KIND[:ARG] with every-Nth and probability', () => {
    assert.equal(parseFaultFlags({}, 'tcp'), undefined);
    assert.deepEqual(parseFaultFlags({ fault: 'delay:3000' }, 'tcp'), { kind: 'delay', delayMs: 3000 });
    assert.deepEqual(parseFaultFlags({ fault: 'exception:2', 'fault-every': '3' }, 'rtu'), { kind: 'exception', exceptionCode: 2, everyNth: 3 });
    assert.deepEqual(parseFaultFlags({ fault: 'split:5' }, 'ascii'), { kind: 'split', gapMs: 5 });
    assert.deepEqual(parseFaultFlags({ fault: 'garbage:16', 'fault-probability': '0.25' }, 'tcp'), { kind: 'garbage', bytes: 16, probability: 0.25 });
    assert.deepEqual(parseFaultFlags({ fault: 'badChecksum' }, 'rtu'), { kind: 'badChecksum' });
  });

  it('refuses what cannot be, in plain words', () => {
    const refuses = (flags: Parameters<typeof parseFaultFlags>[0], framing: 'tcp' | 'rtu' | 'ascii', message: RegExp) =>
      assert.throws(() => parseFaultFlags(flags, framing), (error: unknown) => error instanceof UsageError && message.test(error.message));
    refuses({ fault: 'explode' }, 'tcp', /--fault takes KIND\[:ARG\] with KIND one of delay, drop, exception.*not "explode"/);
    refuses({ fault: 'drop:5' }, 'tcp', /--fault drop takes no argument, not ":5"/);
    refuses({ fault: 'delay:soon' }, 'tcp', /--fault delay:ARG must be a whole number, not "soon"/);
    refuses({ fault: 'exception:300' }, 'tcp', /--fault exception:ARG is out of range: an exception code from 1 to 255/);
    refuses({ fault: 'drop', 'fault-every': '0' }, 'tcp', /--fault-every is out of range: a whole number from 1/);
    refuses({ fault: 'drop', 'fault-probability': '2' }, 'tcp', /--fault-probability is out of range: a number from 0 to 1/);
    refuses({ fault: 'badChecksum' }, 'tcp', /--fault badChecksum cannot happen on Modbus TCP/);
    refuses({ fault: 'reset' }, 'rtu', /--fault reset cannot happen on an RTU line/);
    refuses({ 'fault-every': '2' }, 'tcp', /--fault-every and --fault-probability need a --fault KIND/);
  });
});
