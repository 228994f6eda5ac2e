/**
 * The mqtt client's options from the `mqtt` section: the password read from the
 * environment variable `passwordEnv` names (never from the file, never logged), TLS
 * files read up front so a wrong path is said at startup, not at the first reconnect.
 */
import fs from 'node:fs';
import os from 'node:os';
import type { IClientOptions } from 'mqtt';
import type { MqttConfig } from '../api/mqttConfig';

/** The `mqtt` section cannot be used as written (a missing password variable, an unreadable certificate). */
export class MqttSetupError extends Error {
  readonly code = 'mqtt_setup';
  constructor(message: string) {
    super(message);
    this.name = 'MqttSetupError';
  }
}

export interface Will {
  topic: string;
  payload: Buffer;
  qos: 0 | 1;
  retain: boolean;
}

export function brokerOptions(config: MqttConfig, will: Will, env: NodeJS.ProcessEnv = process.env): IClientOptions {
  const options: IClientOptions = {
    clientId: config.clientId ?? defaultClientId(config),
    clean: true,
    keepalive: 30,
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
    // Held back here instead, in a bounded buffer that says what it drops (offlineBuffer.ts).
    queueQoSZero: false,
    will,
  };
  if (config.username !== undefined) options.username = config.username;
  if (config.passwordEnv !== undefined) {
    const password = env[config.passwordEnv];
    if (password === undefined) {
      throw new MqttSetupError(`mqtt.passwordEnv: the environment variable ${config.passwordEnv} is not set; set it to the broker password before starting the gateway`);
    }
    options.password = password;
  }
  if (config.tls) {
    options.rejectUnauthorized = config.tls.rejectUnauthorized;
    if (config.tls.ca !== undefined) options.ca = readPem(config.tls.ca, 'mqtt.tls.ca');
    if (config.tls.cert !== undefined) options.cert = readPem(config.tls.cert, 'mqtt.tls.cert');
    if (config.tls.key !== undefined) options.key = readPem(config.tls.key, 'mqtt.tls.key');
  }
  return options;
}

function defaultClientId(config: MqttConfig): string {
  const host = os.hostname().replace(/[^A-Za-z0-9_-]/g, '-');
  return config.format === 'sparkplugb' ? `bifrost-${config.group}-${config.node}` : `bifrost-${host}`;
}

function readPem(file: string, where: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw new MqttSetupError(`${where}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); expected a PEM file`);
  }
}

/** The broker URL without any user or password written into it, for the log. */
export function safeUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//');
}
