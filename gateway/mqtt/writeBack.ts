/**
 * Writes that arrive over MQTT (`prefix/device/tag/set`, Sparkplug DCMD), sent through
 * the engine's own tag write: the same validation, encoding and read-only refusal as a
 * write from VS Code or the command line. Off unless the config says `writeBack: true`;
 * every write, applied or refused, is logged.
 */
import type { Engine } from '../engine/engine';
import type { Logger } from '../engine/logger';
import type { WriteValue } from '../tags/writeRequest';

export type WriteOutcome = { ok: true; description: string; readBack: unknown } | { ok: false; error: string };

export class MqttWrites {
  constructor(
    private readonly engine: Engine,
    private readonly logger: Logger,
    private readonly enabled: boolean,
  ) {}

  /** `source` says where the write came from, for the log: "mqtt plant/Pump/speed/set", "Sparkplug DCMD". */
  async write(device: string, tag: string, value: WriteValue, source: string): Promise<WriteOutcome> {
    const what = `write of ${JSON.stringify(value)} to ${device}/${tag} from ${source}`;
    const refuse = (error: string): WriteOutcome => {
      this.logger.log('warn', `refused ${what}: ${error}`, this.engine.hasDevice(device) ? device : undefined);
      return { ok: false, error };
    };
    if (!this.enabled) return refuse('write-back is off ("writeBack": true in the mqtt section of bifrost.json turns it on)');
    if (!this.engine.hasDevice(device)) return refuse(`no device named "${device}"`);
    try {
      const written = await this.engine.write(device, tag, value);
      this.logger.log('info', `${what}: ${written.description}`, device);
      return { ok: true, description: written.description, readBack: written.readBack.text ?? written.readBack.value };
    } catch (error) {
      // WriteRefusedError (read-only device, out of range, input table) and the device's own errors are worded already.
      return refuse((error as Error).message);
    }
  }
}

/**
 * A `/set` payload as a write value: `{"value": 12.5}`, or a bare JSON value (`12.5`,
 * `true`, `"on"`), or bare text (`on`). Anything else is explained.
 */
export function parseWritePayload(payload: Buffer): { ok: true; value: WriteValue } | { ok: false; error: string } {
  const text = payload.toString('utf8').trim();
  if (text === '') return { ok: false, error: 'the message is empty; expected {"value": …} or a bare value like 12.5, true or "on"' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: true, value: text };
  }
  if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
    if (!('value' in parsed)) return { ok: false, error: 'the JSON object has no "value"; expected {"value": …}' };
    parsed = (parsed as { value: unknown }).value;
  }
  if (typeof parsed === 'number' || typeof parsed === 'boolean' || typeof parsed === 'string') return { ok: true, value: parsed };
  return { ok: false, error: `${JSON.stringify(parsed)} is not a value to write; expected a number, true/false or text` };
}
