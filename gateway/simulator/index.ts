/** Virtual Modbus devices with live values, for the demo and the tests. */
export * from './dataModel';
export * from './demoDevice';
export * from './demoSimulator';
export * from './requestHandler';
export * from './tcpServer';
