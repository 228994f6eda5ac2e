/** How a device is reached, as shown to users in the tree and tooltips. */
import type { Device } from '../api/config';
import { describeLine } from '../transport/serialTiming';
import type { Endpoint } from './session';

/** `tcp://10.0.0.5:502 #1`, `rtu:///dev/ttyUSB0@9600 8E1 #3`, `rtutcp://10.0.0.9:4001 #1`. */
export function endpointLabel(device: Device, demoEndpoint?: Endpoint): string {
  const transport = device.transport;
  const unit = `#${device.unitId}`;
  switch (transport.kind) {
    case 'tcp':
    case 'rtutcp':
      return `${transport.kind}://${transport.host}:${transport.port} ${unit}`;
    case 'rtu':
    case 'ascii':
      return `${transport.kind}://${transport.path}@${describeLine(transport)} ${unit}`;
    case 'demo':
      return demoEndpoint ? `demo://${demoEndpoint.host}:${demoEndpoint.port} ${unit}` : `demo ${unit}`;
  }
}
