/** The channel's methods, implemented against the engine. */
import { PROTOCOL_VERSION } from '../api/channel';
import { BifrostConfig } from '../api/config';
import { demoConfig } from '../api/demo';
import type { Engine } from '../engine/engine';
import type { Logger } from '../engine/logger';
import { createCaptureExchangeHandlers, createCaptureHandlers } from './captureHandlers';
import type { MethodHandlers } from './dispatcher';
import { createFrameHandlers } from './frameHandlers';
import { createOperationHandlers } from './operationHandlers';
import { createProxyHandlers } from './proxyHandlers';
import { createSimulatorHandlers } from './simulatorHandlers';
import { createRegisterHandlers } from './registerHandlers';
import type { ProxyManager } from '../proxy';
import { ChannelRequestError } from './requestError';

export interface GatewayInfo {
  version: string;
  pid: number;
  /** The config file the gateway was started with: it runs that, and refuses config.apply. */
  configFile?: string;
}

export function createHandlers(engine: Engine, info: GatewayInfo, logger: Logger, proxies: ProxyManager): MethodHandlers {
  const requireDevice = (name: string): void => {
    if (!engine.hasDevice(name)) throw new ChannelRequestError('unknown_device', `no device named "${name}"`);
  };
  return {
    ...createCaptureHandlers(engine.capture, engine.recorder),
    ...createCaptureExchangeHandlers(engine),
    ...createFrameHandlers(),
    ...createOperationHandlers(engine, logger),
    ...createProxyHandlers(proxies),
    ...createSimulatorHandlers(engine.demoFaults),
    ...createRegisterHandlers(engine),
    hello: (params) => {
      if (params.protocolVersion !== PROTOCOL_VERSION) {
        throw new ChannelRequestError(
          'protocol_mismatch',
          `${params.client} speaks channel protocol ${params.protocolVersion}, this gateway speaks ${PROTOCOL_VERSION}`,
        );
      }
      logger.log('debug', `client "${params.client}" said hello`);
      return { gatewayVersion: info.version, protocolVersion: PROTOCOL_VERSION, pid: info.pid, ...(info.configFile === undefined ? {} : { configFile: info.configFile }) };
    },
    'config.apply': async (params) => {
      if (info.configFile !== undefined) {
        // An editor attached from elsewhere must not replace what this site runs with its own workspace's file.
        throw new ChannelRequestError(
          'config_owned',
          `this gateway runs ${info.configFile}; it does not take a configuration over the channel (change the file on the gateway's machine and restart it)`,
        );
      }
      const config = params.config ?? BifrostConfig.parse(demoConfig());
      logger.log('info', `applying configuration from ${params.source ?? (params.config ? 'a client' : 'the built-in demo')}`);
      const devices = await engine.apply(config);
      // After the engine: proxies forward through the sessions it just made.
      await proxies.apply(config);
      return { devices };
    },
    'devices.snapshot': () => ({ devices: engine.snapshot() }),
    'device.connect': (params) => {
      requireDevice(params.device);
      engine.connect(params.device);
      return {};
    },
    'device.disconnect': (params) => {
      requireDevice(params.device);
      engine.disconnect(params.device);
      return {};
    },
    'device.refresh': (params) => {
      if (params.device !== undefined) requireDevice(params.device);
      engine.refresh(params.device);
      return {};
    },
  };
}
