import assert from 'node:assert/strict';
import { proxyCommand } from '../../../gateway/cli/proxyCommand';
import { UsageError } from '../../../gateway/cli/usageError';

/** Options checked before anything starts: a bad value is a usage error naming the flag and what it takes. */
describe('bifrost-gateway proxy options', () => {
  const upstream = ['--upstream', 'tcp://127.0.0.1:1'];
  const refuses = (args: string[], pattern: RegExp) =>
    assert.rejects(proxyCommand([...upstream, ...args]), (error: unknown) => error instanceof UsageError && error.command === 'proxy' && pattern.test(error.message));

  it('--reply-unit-id takes "any" or "match"', () => refuses(['--reply-unit-id', 'zero'], /--reply-unit-id must be "any".*not "zero"/));
  it('--retries takes 0 to 10', () => refuses(['--retries', '11'], /--retries must be a whole number from 0 to 10, not "11"/));
  it('--idle-timeout takes seconds from 1', () => refuses(['--idle-timeout', '0'], /--idle-timeout must be a whole number from 1 to 86400/));
  it('--max-queued takes 1 to 10000', () => refuses(['--max-queued', 'lots'], /--max-queued must be a whole number from 1 to 10000, not "lots"/));
});
