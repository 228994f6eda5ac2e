import assert from 'node:assert/strict';
import { PendingRequests } from '../../../gateway/engine/pendingRequests';
import { ConnectionClosedError, TimeoutError } from '../../../gateway/protocol/errors';
import type { ModbusRequest } from '../../../gateway/protocol/requests';

const request: ModbusRequest = { functionCode: 3, address: 0, quantity: 10 };
const context = { device: 'Demo', unitId: 1, functionCode: 3, address: 0, quantity: 10 };

describe('pending requests', () => {
  it('time out with a TimeoutError and forget the id', async () => {
    const pending = new PendingRequests();
    const reply = pending.add(7, request, context, 20);
    await assert.rejects(reply, (error: unknown) => error instanceof TimeoutError && error.message.endsWith('within 20 ms'));
    assert.equal(pending.has(7), false);
    assert.equal(pending.take(7), undefined, 'a late reply finds nothing: it is stale');
  });

  it('hand the waiting request to its reply exactly once', async () => {
    const pending = new PendingRequests();
    const reply = pending.add(1, request, context, 1000);
    const waiting = pending.take(1);
    assert.ok(waiting);
    waiting.resolve({ functionCode: 3, registers: [1] });
    assert.deepEqual(await reply, { functionCode: 3, registers: [1] });
    assert.equal(pending.take(1), undefined);
  });

  it('reject everything at once when the link closes', async () => {
    const pending = new PendingRequests();
    const replies = [1, 2, 3].map((id) => pending.add(id, request, context, 1000));
    pending.rejectAll((waiting) => new ConnectionClosedError(waiting.context, { wasSent: true }));
    for (const reply of replies) await assert.rejects(reply, ConnectionClosedError);
    assert.equal(pending.size, 0);
  });
});

describe('pending requests: telling a stale reply from a wrong id', () => {
  it('remember ids that were answered or timed out; hand over the one request that waits', async () => {
    const pending = new PendingRequests();
    const first = pending.add(1, request, context, 10);
    await assert.rejects(first, TimeoutError);
    assert.equal(pending.settledRecently(1), true, 'a reply to 1 now is late');
    const second = pending.add(2, request, context, 1000);
    pending.take(2)!.resolve({ functionCode: 3, registers: [1] });
    await second;
    assert.equal(pending.settledRecently(2), true);
    assert.equal(pending.settledRecently(1002), false);
    void pending.add(3, request, context, 1000).catch(() => {});
    const sole = pending.takeSole();
    assert.equal(sole?.id, 3);
    assert.equal(pending.size, 0);
    void pending.add(4, request, context, 1000).catch(() => {});
    void pending.add(5, request, context, 1000).catch(() => {});
    assert.equal(pending.takeSole(), undefined, 'with two waiting, a wrong id could be either');
    pending.rejectAll((waiting) => new ConnectionClosedError(waiting.context, { wasSent: true }));
  });
});
