/**
 * Which unit id a client's request goes to upstream (see proxyConfig.ts): the map
 * first, then the rule for unmapped ids. undefined means "refuse" (exception 0x0A).
 */
import type { ProxyDefinition } from '../api/proxyConfig';

export type UnitRouter = (clientUnit: number) => number | undefined;

export function unitRouter(definition: Pick<ProxyDefinition, 'unitMap' | 'unmappedUnits'>, deviceUnitId: number): UnitRouter {
  const map = new Map(Object.entries(definition.unitMap).map(([from, to]) => [Number(from), to]));
  const unmapped = definition.unmappedUnits;
  return (clientUnit) => {
    const mapped = map.get(clientUnit);
    if (mapped !== undefined) return mapped;
    if (unmapped === 'passThrough') return clientUnit;
    if (unmapped === 'device') return deviceUnitId;
    return undefined;
  };
}
