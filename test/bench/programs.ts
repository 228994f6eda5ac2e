/**
 * The programs the bench starts as children, bundled by run.ts the way
 * `npm run build` bundles the shipped gateway (esbuild, one CJS file, minified
 * as in the .vsix), so every process runs the code users get, not tsx's
 * per-module transpilation (whose export getters alone cost Bifrost ~10% of its
 * per-request JavaScript).
 */
import type { NativePrograms } from './nativeBuild';

export interface Programs {
  /** The gateway CLI: `simulate --listen …` and `simulate --rtu …`. */
  gatewayJs: string;
  /** The bench's own minimal Modbus TCP responder. */
  fastServerJs: string;
  /** A Node relay that parses nothing: the proxy section's Node floor. */
  nodeRelayJs: string;
  /** Many minimal devices on many ports, timing their polls: the fleet row. */
  fleetServerJs: string;
  /** A bare mqtt.js publisher: the MQTT section's floor. */
  mqttFloorJs: string;
  /** The C references (native.ts); absent when there is no C compiler. */
  native?: NativePrograms;
}

let programs: Programs | undefined;

export function usePrograms(built: Programs): void {
  programs = built;
}

export function builtPrograms(): Programs {
  if (!programs) throw new Error('the bench programs are not built: run the bench through test/bench/run.ts');
  return programs;
}
