/** Wires engine events to channel events: status and device lists at once, values batched. */
import type { DeviceSnapshot, DeviceStatus, TagReadTick, TagValue } from '../api/channel';
import type { Engine } from '../engine/engine';
import { bridgeCaptureToChannel } from './captureHandlers';
import { bridgeOperationsToChannel } from './operationHandlers';
import type { ChannelServer } from './server';
import { TagValueBatcher } from '../api/tagValueBatcher';

/** Returns a function that undoes the wiring. */
export function bridgeEngineToChannel(engine: Engine, server: ChannelServer): () => void {
  const batcher = new TagValueBatcher((values, reads) => server.broadcast('tag.values', reads.length > 0 ? { values, reads } : { values }));
  const onStatus = (status: DeviceStatus) => server.broadcast('device.status', status);
  const onValues = (values: TagValue[]) => batcher.push(values);
  const onRead = (tick: TagReadTick) => batcher.pushRead(tick);
  const onDevicesChanged = (devices: DeviceSnapshot[]) => {
    // Values of the old device list must not arrive after the new list.
    batcher.flush();
    server.broadcast('devices.changed', { devices });
  };
  engine.on('status', onStatus);
  engine.on('values', onValues);
  engine.on('read', onRead);
  engine.on('devicesChanged', onDevicesChanged);
  const unbridgeCapture = bridgeCaptureToChannel(engine.capture, server);
  const unbridgeOperations = bridgeOperationsToChannel(engine, server);
  return () => {
    unbridgeCapture();
    unbridgeOperations();
    engine.off('status', onStatus);
    engine.off('values', onValues);
    engine.off('read', onRead);
    engine.off('devicesChanged', onDevicesChanged);
    batcher.close();
  };
}
