import * as assert from 'node:assert/strict';
import { LineSplitter, parseLogLine } from '../../../extension/gateway/logLine';

describe('extension/gateway/logLine', () => {
  it('reads levels from JSON and text lines', () => {
    assert.deepEqual(parseLogLine('{"level":"warn","msg":"slow"}'), { level: 'warn', message: 'slow' });
    assert.deepEqual(parseLogLine('{"level":"error","message":"down","device":"PLC"}'), { level: 'error', message: '[PLC] down' });
    assert.deepEqual(parseLogLine('[DEBUG] polling'), { level: 'debug', message: 'polling' });
    assert.deepEqual(parseLogLine('warn: retry in 2 s'), { level: 'warn', message: 'retry in 2 s' });
    assert.deepEqual(parseLogLine('2025-01-01T10:00:00.000Z ERROR boom'), { level: 'error', message: 'boom' });
    // The gateway's own stderr format (gateway/cli/stderrLogger.ts).
    assert.deepEqual(parseLogLine('2026-11-25T01:27:16.265Z info  [Demo] connected to tcp://127.0.0.1:37099'), {
      level: 'info',
      message: '[Demo] connected to tcp://127.0.0.1:37099',
    });
    assert.deepEqual(parseLogLine('2026-11-25T01:27:16.265Z warn  [x] cannot connect'), { level: 'warn', message: '[x] cannot connect' });
  });

  it('treats anything else as info', () => {
    assert.deepEqual(parseLogLine('    at Object.<anonymous> (x.js:1:1)'), { level: 'info', message: '    at Object.<anonymous> (x.js:1:1)' });
    assert.deepEqual(parseLogLine('{not json'), { level: 'info', message: '{not json' });
    assert.deepEqual(parseLogLine('{"no":"message"}'), { level: 'info', message: '{"no":"message"}' });
  });

  it('splits chunks into lines whatever their boundaries', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    splitter.push('one\r\ntw');
    splitter.push('o\n\nthr');
    assert.deepEqual(lines, ['one', 'two']);
    splitter.flush();
    assert.deepEqual(lines, ['one', 'two', 'thr']);
  });
});
