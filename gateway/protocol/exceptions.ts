/** Modbus exception codes (Modbus Application Protocol V1.1b3 §7) with readable names. */

export const ExceptionCode = {
  IllegalFunction: 0x01,
  IllegalDataAddress: 0x02,
  IllegalDataValue: 0x03,
  ServerDeviceFailure: 0x04,
  Acknowledge: 0x05,
  ServerDeviceBusy: 0x06,
  NegativeAcknowledge: 0x07,
  MemoryParityError: 0x08,
  GatewayPathUnavailable: 0x0a,
  GatewayTargetFailedToRespond: 0x0b,
} as const;
export type ExceptionCode = (typeof ExceptionCode)[keyof typeof ExceptionCode];

const EXCEPTION_NAMES: Record<number, string> = {
  [ExceptionCode.IllegalFunction]: 'illegal function',
  [ExceptionCode.IllegalDataAddress]: 'illegal data address',
  [ExceptionCode.IllegalDataValue]: 'illegal data value',
  [ExceptionCode.ServerDeviceFailure]: 'server device failure',
  [ExceptionCode.Acknowledge]: 'acknowledge',
  [ExceptionCode.ServerDeviceBusy]: 'server device busy',
  [ExceptionCode.NegativeAcknowledge]: 'negative acknowledge',
  [ExceptionCode.MemoryParityError]: 'memory parity error',
  [ExceptionCode.GatewayPathUnavailable]: 'gateway path unavailable',
  [ExceptionCode.GatewayTargetFailedToRespond]: 'gateway target device failed to respond',
};

/** "illegal data address"; devices do send vendor codes, which get a neutral name. */
export function exceptionName(code: number): string {
  return EXCEPTION_NAMES[code] ?? 'unknown exception';
}

/** "02", the way manuals and other tools print exception codes. */
export function formatExceptionCode(code: number): string {
  return code.toString(16).toUpperCase().padStart(2, '0');
}
