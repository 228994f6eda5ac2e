/** Sparkplug B topics: `spBv1.0/group/TYPE/node[/device]`. */
export const SPARKPLUG_NAMESPACE = 'spBv1.0';

export type NodeMessage = 'NBIRTH' | 'NDEATH' | 'NDATA' | 'NCMD';
export type DeviceMessage = 'DBIRTH' | 'DDEATH' | 'DDATA' | 'DCMD';

export interface SparkplugIds {
  group: string;
  node: string;
}

export function nodeTopic(ids: SparkplugIds, type: NodeMessage): string {
  return `${SPARKPLUG_NAMESPACE}/${ids.group}/${type}/${ids.node}`;
}

export function deviceTopic(ids: SparkplugIds, type: DeviceMessage, device: string): string {
  return `${SPARKPLUG_NAMESPACE}/${ids.group}/${type}/${ids.node}/${device}`;
}

/** The device a DCMD topic addresses, or undefined for another topic. */
export function dcmdDevice(ids: SparkplugIds, topic: string): string | undefined {
  const head = `${SPARKPLUG_NAMESPACE}/${ids.group}/DCMD/${ids.node}/`;
  if (!topic.startsWith(head)) return undefined;
  const device = topic.slice(head.length);
  return device === '' || device.includes('/') ? undefined : device;
}
