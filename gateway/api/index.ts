/** The one contract every side imports: config files and channel messages. */
export * from './address';
export * from './config';
export * from './channel';
export * from './demo';
export * from './frames';
export * from './capture';
export * from './operations';
export * from './proxyConfig';
export * from './proxies';
export * from './simulator';
export * from './watchConfig';
export * from './plainIssues';
export * from './hostName';
export * from './registers';
export * from './registerViewConfig';
export * from './metricsConfig';
export * from './mqttConfig';
