/** The WebSocket channel the extension (or any client with the token) drives the gateway through. */
export * from './bridge';
export * from './dispatcher';
export * from './handlers';
export * from './requestError';
export * from './server';
export * from './token';
