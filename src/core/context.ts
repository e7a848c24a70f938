import type { Config } from './config.js';
import type { Logger } from './logger.js';

/** What route factories need from the running service. */
export interface AppContext {
  config: Config;
  logger: Logger;
}
