/** The gateway's version is the package's: one number for the extension and the gateway it ships. */
import { version } from '../../package.json';

export const GATEWAY_VERSION: string = version;
