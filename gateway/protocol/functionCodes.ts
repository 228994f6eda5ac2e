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
  WriteMultipleCoils: 0x0f,
  WriteMultipleRegisters: 0x10,
} as const;
export type FunctionCode = (typeof FunctionCode)[keyof typeof FunctionCode];

/** An exception response carries the request's function code with this bit set. */
export const EXCEPTION_FLAG = 0x80;

const FUNCTION_NAMES: Record<number, string> = {
  [FunctionCode.ReadCoils]: 'read coils',
  [FunctionCode.ReadDiscreteInputs]: 'read discrete inputs',
  [FunctionCode.ReadHoldingRegisters]: 'read holding registers',
  [FunctionCode.ReadInputRegisters]: 'read input registers',
  [FunctionCode.WriteSingleCoil]: 'write single coil',
  [FunctionCode.WriteSingleRegister]: 'write single register',
  [FunctionCode.WriteMultipleCoils]: 'write multiple coils',
  [FunctionCode.WriteMultipleRegisters]: 'write multiple registers',
};

/** "read holding registers", or "function 0x2B" for codes this codec does not know yet. */
export function functionName(code: number): string {
  return FUNCTION_NAMES[code] ?? `function 0x${code.toString(16).toUpperCase().padStart(2, '0')}`;
}

export function isKnownFunctionCode(code: number): code is FunctionCode {
  return Object.prototype.hasOwnProperty.call(FUNCTION_NAMES, code);
}
