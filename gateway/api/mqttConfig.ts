/**
 * `"mqtt"` in bifrost.json: a headless gateway (`bifrost-gateway run`) publishes its
 * tag values to an MQTT broker, as JSON on `prefix/device/tag` or as Sparkplug B.
 * The password never sits in the file: `passwordEnv` names the environment
 * variable that holds it. Writes from MQTT are off unless `writeBack` is true.
 */
import { z } from 'zod';

export const DEFAULT_MQTT_PREFIX = 'bifrost';
export const DEFAULT_MQTT_BUFFER_LIMIT = 10_000;

const BROKER_URL = /^(mqtt|mqtts|ws|wss|tcp|ssl):\/\/[^\s/]+(\/\S*)?$/;
/** One or more topic levels, none empty, without the wildcards + and #. */
const TOPIC_PREFIX = /^[^+#/\s]+(\/[^+#/\s]+)*$/;
/** A Sparkplug group or edge node id: one topic level, none of + # /. */
const SPARKPLUG_ID = /^[^+#/\s]+$/;

export const MqttTls = z
  .object({
    ca: z.string().min(1).optional().describe("PEM file of the certificate authority that signed the broker's certificate"),
    cert: z.string().min(1).optional().describe("PEM file of this gateway's client certificate (mutual TLS)"),
    key: z.string().min(1).optional().describe("PEM file of this gateway's private key (mutual TLS)"),
    rejectUnauthorized: z.boolean().default(true).describe("Refuse a broker whose certificate does not verify; false only for a test broker"),
  })
  .strict()
  .superRefine((tls, ctx) => {
    if ((tls.cert === undefined) !== (tls.key === undefined)) {
      ctx.addIssue({ code: 'custom', path: [tls.cert === undefined ? 'cert' : 'key'], message: 'a client certificate needs both "cert" and "key"' });
    }
  });
export type MqttTls = z.infer<typeof MqttTls>;

export const MqttConfig = z
  .object({
    url: z
      .string()
      .regex(BROKER_URL, 'must be a broker URL like mqtt://127.0.0.1:1883 or mqtts://broker.example:8883')
      .refine((url) => !/^[a-z]+:\/\/[^/]*@/.test(url), 'must not hold a user or password: put the user in "username" and the password in the environment variable "passwordEnv" names')
      .describe('The broker: mqtt://host:1883, mqtts://host:8883 (TLS), ws:// or wss://'),
    clientId: z.string().min(1).max(128).optional().describe('MQTT client id; bifrost-<host name> when absent'),
    username: z.string().min(1).optional(),
    passwordEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be the name of an environment variable, like MQTT_PASSWORD')
      .optional()
      .describe('Name of the environment variable that holds the password (never the password itself)'),
    prefix: z
      .string()
      .regex(TOPIC_PREFIX, 'must be topic levels without "+", "#", spaces or empty levels, like "plant1/bifrost"')
      .default(DEFAULT_MQTT_PREFIX)
      .describe('JSON format: values go to prefix/device/tag, the gateway state to prefix/$gateway/state'),
    qos: z.literal([0, 1]).default(1).describe('JSON format: MQTT quality of service of value messages (Sparkplug B uses the QoS its spec sets)'),
    retain: z.boolean().default(true).describe('JSON format: the broker keeps each tag’s last value for new subscribers'),
    publish: z
      .enum(['change', 'scan'])
      .default('change')
      .describe("'change' publishes a value when it changes (beyond the deadband) or its quality does; 'scan' publishes every tag at every scan"),
    deadband: z.number().min(0).default(0).describe('With publish "change": a numeric value is published when it moves more than this from the last one published'),
    writeBack: z.boolean().default(false).describe('Accept writes from MQTT (prefix/device/tag/set, or Sparkplug DCMD); off unless true'),
    format: z.enum(['json', 'sparkplugb']).default('json'),
    group: z.string().regex(SPARKPLUG_ID, 'must be one topic level without "+", "#", "/" or spaces').optional().describe('Sparkplug B group id'),
    node: z.string().regex(SPARKPLUG_ID, 'must be one topic level without "+", "#", "/" or spaces').optional().describe('Sparkplug B edge node id'),
    tls: MqttTls.optional(),
    bufferLimit: z
      .number()
      .int()
      .min(0)
      .max(1_000_000)
      .default(DEFAULT_MQTT_BUFFER_LIMIT)
      .describe('JSON format: messages kept while the broker is unreachable; when full the oldest are dropped, and the log says how many'),
  })
  .strict()
  .superRefine((mqtt, ctx) => {
    if (mqtt.format !== 'sparkplugb') return;
    for (const key of ['group', 'node'] as const) {
      if (mqtt[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: `format "sparkplugb" needs "${key}" (the Sparkplug ${key === 'group' ? 'group id' : 'edge node id'})` });
    }
  })
  .describe('Publish tag values to an MQTT broker when run headless (bifrost-gateway run)');
export type MqttConfig = z.infer<typeof MqttConfig>;
