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
export * from './watchConfig';
export * from './registers';
export * from './registerViewConfig';
