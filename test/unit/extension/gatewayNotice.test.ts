import assert from 'node:assert/strict';
import { commandRefusal, gatewayNotice } from '../../../extension/gateway/gatewayNotice';

describe("a panel's line while its gateway is not there", () => {
  const values = 'values are not updating';

  it('says an attached gateway is out of reach and why, never that it is restarting', () => {
    const down = { state: 'restarting' as const, label: 'gw-site-a:7443', problem: 'unreachable: connection refused: nothing listens at that port (the gateway is not running)' };
    const notice = gatewayNotice(down, false, values);
    assert.equal(notice, 'gw-site-a:7443 is out of reach (connection refused: nothing listens at that port): values are not updating. Trying again.');
    assert.doesNotMatch(notice!, /restarting/);
    assert.equal(
      gatewayNotice({ state: 'stopped', label: 'gw-site-a:7443', problem: 'its certificate changed (SHA-256 AB; trusted was CD), so it was refused' }, false, values),
      'gw-site-a:7443 is not connected (its certificate changed): values are not updating.',
    );
    assert.equal(gatewayNotice({ state: 'starting', label: 'gw-site-a:7443' }, false, values), 'Connecting to gw-site-a:7443…');
  });

  it("keeps the editor's own gateway's words, and says nothing while a gateway runs", () => {
    assert.equal(gatewayNotice({ state: 'restarting', label: 'local' }, true, values), 'The gateway is restarting…');
    assert.equal(gatewayNotice({ state: 'stopped', label: 'local' }, true, 'no frames are captured'), 'The gateway is not running: no frames are captured.');
    assert.equal(gatewayNotice({ state: 'running', label: 'gw' }, false, values), undefined);
  });
});

describe('a command that needs a gateway that is not there', () => {
  it("offers Restart Gateway only for the editor's own stopped gateway, and says why nothing happened", () => {
    assert.deepEqual(commandRefusal({ state: 'stopped', label: 'the local gateway' }, true), {
      message: 'Bifrost: the gateway is not running, so that did nothing. Restart it, or see the log for why it stopped.',
      actions: ['Restart Gateway', 'Show Log'],
    });
    assert.deepEqual(commandRefusal({ state: 'restarting', label: 'the local gateway' }, true), {
      message: 'Bifrost: the gateway is restarting; try again in a moment.',
      actions: ['Show Log'],
    });
    assert.deepEqual(commandRefusal({ state: 'running', label: 'the local gateway' }, true).message, 'Bifrost: the gateway is starting; try again in a moment.');
  });

  it('names an attached gateway and why it is away, and never offers to restart it from here', () => {
    const away = commandRefusal({ state: 'stopped', label: 'gw-site-a:7443', problem: 'its certificate changed (SHA-256 AB; trusted was CD), so it was refused' }, false);
    assert.deepEqual(away, { message: 'Bifrost: gw-site-a:7443 is not connected (its certificate changed): that did nothing.', actions: ['Show Log'] });
    assert.equal(commandRefusal({ state: 'starting', label: 'gw-site-a:7443' }, false).message, 'Bifrost: Connecting to gw-site-a:7443… Try again in a moment.');
  });
});
