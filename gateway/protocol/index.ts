/** The Modbus codec: pure functions over Buffers, no I/O. */
export * from './bits';
export * from './deviceIdentification';
export * from './errors';
export * from './exceptions';
export * from './functionCodes';
export * from './limits';
export * from './mbap';
export * from './mbapReassembler';
export * from './requests';
export * from './responses';
export * from './decoder';
