/** The frame debugger's decoder: bytes in, field tree and problems out. */
export * from './decodeFrame';
export { spacedHex } from './fieldReader';
