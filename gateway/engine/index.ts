/** Sessions, polling and the engine that runs a configuration. */
export * from './backoff';
export * from './deviceRunner';
export * from './engine';
export * from './logger';
export * from './pendingRequests';
export * from './planner';
export * from './poller';
export * from './session';
export * from './transactionIds';
