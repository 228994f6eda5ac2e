import * as assert from 'node:assert/strict';
import { FrameDebuggerRequests } from '../../../webviews/frameDebugger/protocol';
import { RegistersCommands } from '../../../webviews/registers/protocol';
import { TagWatchCommands, TagWatchRequests } from '../../../webviews/tagWatch/protocol';
import { DisposableScope } from '../../../extension/util/disposable';

describe('webview messages (declared once, validated by the host)', () => {
  it('keys each panel\'s definitions by the method the page sends', () => {
    assert.deepEqual(Object.keys(TagWatchRequests).sort(), ['clipboard.copy', 'export.csv', 'trend.select', 'watchList.save', 'write.commit', 'write.preview']);
    assert.equal(TagWatchRequests['write.preview'].method, 'write.preview');
    assert.equal(TagWatchCommands.refresh.kind, 'command');
    assert.equal(RegistersCommands['range.set'].kind, 'command');
  });

  it('accepts a well-formed write and refuses one whose value is text, or that lacks its tag', () => {
    const write = TagWatchRequests['write.commit'].params;
    assert.deepEqual(write.parse({ device: 'Demo', tag: 'setpoint', value: 42 }), { device: 'Demo', tag: 'setpoint', value: 42 });
    assert.equal(write.safeParse({ device: 'Demo', tag: 'setpoint', value: '42' }).success, false);
    assert.equal(write.safeParse({ device: 'Demo', value: true }).success, false);
  });

  it('refuses a replay without a whole frame id and a send with extra fields the gateway would not take', () => {
    assert.equal(FrameDebuggerRequests['capture.replay'].params.safeParse({ frameId: 1.5 }).success, false);
    assert.equal(FrameDebuggerRequests['capture.replay'].params.safeParse({ frameId: 7 }).success, true);
    assert.equal(FrameDebuggerRequests['capture.send'].params.safeParse({ device: 'Demo', hex: '03 00 00 00 01', framing: 'tcp' }).success, false);
  });

  it('refuses a register range outside the protocol\'s addresses', () => {
    const range = RegistersCommands['range.set'].params;
    assert.equal(range.safeParse({ table: 'holdingRegister', start: 0x10000, count: 1, pollMs: 1000 }).success, false);
  });
});

describe('extension/util/disposable', () => {
  it('disposes what was added, last first, once; what is added afterwards is disposed at once', () => {
    const order: string[] = [];
    const scope = new DisposableScope();
    scope.add({ dispose: () => order.push('first') });
    scope.add({ dispose: () => order.push('second') });
    scope.dispose();
    scope.dispose();
    assert.deepEqual(order, ['second', 'first']);
    scope.add({ dispose: () => order.push('late') });
    assert.deepEqual(order, ['second', 'first', 'late']);
    assert.equal(scope.isDisposed, true);
  });
});
