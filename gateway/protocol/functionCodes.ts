/**
 * Modbus public function codes (Modbus Application Protocol V1.1b3 §6) and the
 * names users see in messages and the frame debugger.
 */

export const FunctionCode = {
  ReadCoils: 0x01,
  ReadDiscreteInputs: 0x02,
  ReadHoldingRegisters: 0x03,
  ReadInputRegisters: 0x04,
  WriteSingleCoil: 0x05,
  WriteSingleRegister: 0x06,
  ReadExceptionStatus: 0x07,
  Diagnostics: 0x08,
  GetCommEventCounter: 0x0b,
  WriteMultipleCoils: 0x0f,
  WriteMultipleRegisters: 0x10,
  ReportServerId: 0x11,
  MaskWriteRegister: 0x16,
  ReadWriteMultipleRegisters: 0x17,
  /** Encapsulated Interface Transport; the gateway speaks its MEI type 14, Read Device Identification. */
  EncapsulatedInterface: 0x2b,
} as const;
export type FunctionCode = (typeof FunctionCode)[keyof typeof FunctionCode];

/** An exception response carries the request's function code with this bit set. */
export const EXCEPTION_FLAG = 0x80;

/** FC 8's only sub-function the codec speaks: the device echoes the data back. */
export const DIAGNOSTIC_RETURN_QUERY_DATA = 0x0000;
/** FC 43's MEI type for Read Device Identification. */
export const MEI_READ_DEVICE_IDENTIFICATION = 0x0e;

const FUNCTION_NAMES: Record<number, string> = {
  [FunctionCode.ReadCoils]: 'read coils',
  [FunctionCode.ReadDiscreteInputs]: 'read discrete inputs',
  [FunctionCode.ReadHoldingRegisters]: 'read holding registers',
  [FunctionCode.ReadInputRegisters]: 'read input registers',
  [FunctionCode.WriteSingleCoil]: 'write single coil',
  [FunctionCode.WriteSingleRegister]: 'write single register',
  [FunctionCode.ReadExceptionStatus]: 'read exception status',
  [FunctionCode.Diagnostics]: 'diagnostics',
  [FunctionCode.GetCommEventCounter]: 'get comm event counter',
  [FunctionCode.WriteMultipleCoils]: 'write multiple coils',
  [FunctionCode.WriteMultipleRegisters]: 'write multiple registers',
  [FunctionCode.ReportServerId]: 'report server id',
  [FunctionCode.MaskWriteRegister]: 'mask write register',
  [FunctionCode.ReadWriteMultipleRegisters]: 'read/write multiple registers',
  [FunctionCode.EncapsulatedInterface]: 'read device identification',
};

/** "read holding registers", or "function 0x2C" for codes this codec does not know. */
export function functionName(code: number): string {
  return FUNCTION_NAMES[code] ?? `function 0x${code.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** "Read Holding Registers", the way the frame debugger titles a frame. */
export function functionTitle(code: number): string {
  if (!isKnownFunctionCode(code)) return functionName(code);
  return functionName(code).replace(/(^|[\s/])([a-z])/g, (_, before: string, letter: string) => before + letter.toUpperCase());
}

export function isKnownFunctionCode(code: number): code is FunctionCode {
  return Object.prototype.hasOwnProperty.call(FUNCTION_NAMES, code);
}
