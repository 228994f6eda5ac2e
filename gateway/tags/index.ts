/** Data types, byte and word orders, scaling, writes, and the address forms users type. */
export { parseAddress, formatAddress } from '../api/address';
export * from './dataTypes';
export * from './decode';
export * from './encode';
export * from './resolve';
export * from './tagValue';
export * from './wordOrder';
export * from './writeRequest';
