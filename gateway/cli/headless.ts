/**
 * Running a config without the channel (`run`, `proxy`): the engine polls its
 * devices, every proxy it defines starts, logs go to stderr, and SIGINT/SIGTERM
 * stop the proxies (closing their ports), then the engine.
 */
import type { BifrostConfig } from '../api/config';
import { Engine } from '../engine/engine';
import type { Logger } from '../engine/logger';
import { ProxyListenError, ProxyManager } from '../proxy';
import { onShutdown } from './lifecycle';
import { StartupError } from './startupError';

export interface Headless {
  engine: Engine;
  proxies: ProxyManager;
  /** Stop as SIGTERM would, then exit. */
  stop(why: string): void;
}

export interface HeadlessHooks {
  /** Before the first device connects (capture starts recording here, metrics subscribe here, so nothing is missed). */
  beforeApply?(engine: Engine, proxies: ProxyManager): void | Promise<void>;
  /** First thing on the way out, while devices and proxies still run (the metrics server closes here). */
  beforeClose?(): Promise<void>;
  /** After everything closed, before the process exits. */
  afterClose?(engine: Engine): void;
}

export async function runHeadless(config: BifrostConfig, logger: Logger, hooks: HeadlessHooks = {}): Promise<Headless> {
  const engine = new Engine({ logger });
  const proxies = new ProxyManager(engine, logger);
  const stop = onShutdown(
    async (why) => {
      logger.log('info', `stopping: ${why}`);
      await hooks.beforeClose?.();
      await proxies.close();
      await engine.close();
      hooks.afterClose?.(engine);
    },
    { watchStdin: false },
  );
  try {
    await hooks.beforeApply?.(engine, proxies);
  } catch (error) {
    await engine.close();
    throw error;
  }
  await engine.apply(config);
  // Every proxy, autoStart or not: running the config headless means running all of it.
  await proxies.apply(config);
  for (const info of proxies.list()) {
    if (info.state === 'running') continue;
    try {
      await proxies.start(info.name);
    } catch (error) {
      await proxies.close();
      await engine.close();
      if (error instanceof ProxyListenError) throw new StartupError(error.message);
      throw error;
    }
  }
  return { engine, proxies, stop };
}
