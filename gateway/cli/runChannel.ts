/**
 * `run --serve HOST:PORT`: the channel beside a headless run, so an editor can
 * attach to a gateway that runs its own bifrost.json (on an edge box, a server).
 * The token must be the operator's (a generated one would only be seen in the
 * logs), and the config is the file's: attached editors look, they do not apply.
 */
import type { Engine } from '../engine/engine';
import type { Logger } from '../engine/logger';
import type { ProxyManager } from '../proxy';
import { parseHostPort } from './args';
import { TOKEN_ENV, channelSecurity, describeCertificate, type ChannelSecurityFlags } from './channelSecurity';
import { openChannel, type OpenChannel } from './openChannel';
import { UsageError } from './usageError';

export interface RunChannelFlags extends ChannelSecurityFlags {
  serve?: string;
  config: string;
}

export type RunChannelStart = (engine: Engine, proxies: ProxyManager) => Promise<OpenChannel>;

/** Checks the flags now (before anything starts); the returned start opens the channel, undefined without --serve. */
export function runChannel(flags: RunChannelFlags, logger: Logger & { add(sink: Logger): void }): RunChannelStart | undefined {
  if (flags.serve === undefined) {
    const stray = (['tls-cert', 'tls-key', 'token-file', 'token'] as const).find((flag) => flags[flag] !== undefined);
    if (stray !== undefined) throw new UsageError(`--${stray} secures the channel, which run opens only with --serve HOST:PORT`, 'run');
    return undefined;
  }
  const listen = parseHostPort(flags.serve, '--serve', 'run');
  const security = channelSecurity('run', listen.host, flags);
  const token = security.token;
  if (token === undefined) {
    throw new UsageError(`--serve needs a token you give it (--token-file FILE or ${TOKEN_ENV}): clients must know it, and it is never printed`, 'run');
  }
  return async (engine, proxies) => {
    if (security.tls) logger.log('info', `TLS ${describeCertificate(security.tls.certificate)}`);
    const channel = await openChannel(engine, proxies, logger, {
      ...listen,
      token: token.value,
      configFile: flags.config,
      ...(security.tls ? { tls: security.tls } : {}),
    });
    // On stdout like the metrics line: a script that asked for port 0 reads which port it got.
    process.stdout.write(`channel on ${channel.url} (the token from ${token.from})\n`);
    return channel;
  };
}
