import assert from 'node:assert/strict';
import { parseFlags, parseHostPort, parsePort } from '../../../gateway/cli/args';
import { describeListenError } from '../../../gateway/transport/listenError';
import { UsageError } from '../../../gateway/cli/usageError';

describe('CLI arguments', () => {
  const spec = { host: { type: 'string' }, verbose: { type: 'boolean' } } as const;

  it('reads --flag value, --flag=value and booleans', () => {
    assert.deepEqual(parseFlags('serve', ['--host', '0.0.0.0', '--verbose'], spec), { host: '0.0.0.0', verbose: true });
    assert.deepEqual(parseFlags('serve', ['--host=::1'], spec), { host: '::1' });
  });

  it('names an unknown flag', () => {
    assert.throws(
      () => parseFlags('serve', ['--prot', '1'], spec),
      (error: unknown) => error instanceof UsageError && error.command === 'serve' && /unknown option '--prot'/.test(error.message),
    );
  });

  it('checks ports', () => {
    assert.equal(parsePort('0', '--port', 'serve'), 0);
    assert.throws(() => parsePort('65536', '--port', 'serve'), /--port must be a port number from 0 to 65535/);
    assert.throws(() => parsePort('http', '--port', 'serve'), UsageError);
  });

  it('reads HOST:PORT, [v6]:PORT and a bare port', () => {
    assert.deepEqual(parseHostPort('127.0.0.1:15502', '--listen', 'simulate'), { host: '127.0.0.1', port: 15502 });
    assert.deepEqual(parseHostPort('[::1]:502', '--listen', 'simulate'), { host: '::1', port: 502 });
    assert.deepEqual(parseHostPort('5020', '--listen', 'simulate'), { host: '127.0.0.1', port: 5020 });
    assert.throws(() => parseHostPort('localhost', '--listen', 'simulate'), /expects HOST:PORT/);
    assert.throws(() => parseHostPort(':7443', '--serve', 'run'), /^UsageError: --serve needs a host before ":7443": 0\.0\.0\.0:7443 for every interface, 127\.0\.0\.1:7443 for this machine only$/);
  });

  it('words a port in use', () => {
    const error = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' });
    assert.equal(describeListenError(error, '127.0.0.1', 15502), 'port 15502 on 127.0.0.1 is already in use');
  });
});
