/** The capture ring and its batched feed to the channel. */
export * from './frameBatcher';
export * from './ring';
