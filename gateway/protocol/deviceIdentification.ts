/**
 * Read Device Identification (FC 43, MEI type 14, Modbus Application Protocol §6.21):
 * the object ids, their names, and which access code reaches which objects.
 */

/** ReadDevId codes: stream the basic, regular or extended category, or fetch one object. */
export const DeviceIdCode = {
  Basic: 0x01,
  Regular: 0x02,
  Extended: 0x03,
  Individual: 0x04,
} as const;
export type DeviceIdCode = (typeof DeviceIdCode)[keyof typeof DeviceIdCode];

export const DeviceIdObject = {
  VendorName: 0x00,
  ProductCode: 0x01,
  MajorMinorRevision: 0x02,
  VendorUrl: 0x03,
  ProductName: 0x04,
  ModelName: 0x05,
  UserApplicationName: 0x06,
} as const;

const OBJECT_NAMES: Record<number, string> = {
  [DeviceIdObject.VendorName]: 'VendorName',
  [DeviceIdObject.ProductCode]: 'ProductCode',
  [DeviceIdObject.MajorMinorRevision]: 'MajorMinorRevision',
  [DeviceIdObject.VendorUrl]: 'VendorUrl',
  [DeviceIdObject.ProductName]: 'ProductName',
  [DeviceIdObject.ModelName]: 'ModelName',
  [DeviceIdObject.UserApplicationName]: 'UserApplicationName',
};

/** "VendorName"; 0x07..0x7F are reserved, 0x80..0xFF private (extended) objects. */
export function deviceIdObjectName(id: number): string {
  const hex = `0x${id.toString(16).toUpperCase().padStart(2, '0')}`;
  if (OBJECT_NAMES[id] !== undefined) return OBJECT_NAMES[id];
  return id >= 0x80 ? `private object ${hex}` : `reserved object ${hex}`;
}

const CODE_NAMES: Record<number, string> = {
  [DeviceIdCode.Basic]: 'basic (stream)',
  [DeviceIdCode.Regular]: 'regular (stream)',
  [DeviceIdCode.Extended]: 'extended (stream)',
  [DeviceIdCode.Individual]: 'individual access',
};

export function deviceIdCodeName(code: number): string {
  return CODE_NAMES[code] ?? `unknown access code ${code}`;
}

/** The highest object id a stream access of this code may return. */
export function lastObjectOfCategory(code: DeviceIdCode): number {
  switch (code) {
    case DeviceIdCode.Basic:
      return DeviceIdObject.MajorMinorRevision;
    case DeviceIdCode.Regular:
      return 0x7f;
    default:
      return 0xff;
  }
}

/** Conformity level: the category supported (low bits), 0x80 when individual access works too. */
export function conformityLevelName(level: number): string {
  const category = { 1: 'basic', 2: 'regular', 3: 'extended' }[level & 0x7f] ?? `unknown category ${level & 0x7f}`;
  return level & 0x80 ? `${category} identification, stream and individual access` : `${category} identification, stream access only`;
}
