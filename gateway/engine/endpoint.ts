/** How a device is reached, as shown to users in the tree and tooltips. */
import type { Device } from '../api/config';
import type { Endpoint } from './session';

export function endpointLabel(device: Device, demoEndpoint?: Endpoint): string {
  switch (device.transport.kind) {
    case 'tcp':
      return `tcp://${device.transport.host}:${device.transport.port} #${device.unitId}`;
    case 'demo':
      return demoEndpoint
        ? `demo://${demoEndpoint.host}:${demoEndpoint.port} #${device.unitId}`
        : `demo #${device.unitId}`;
  }
}
