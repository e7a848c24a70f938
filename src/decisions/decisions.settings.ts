import type { AppContext } from '../core/context.js';
import { loadConfig } from '../core/config.js';
import { createLogger, type Logger } from '../core/logger.js';
import { loadTemplates, TEMPLATES_DIR, type TemplateSet } from './templates.js';

/**
 * What issuing a decision needs from the running service: the checked templates, the public address printed
 * in the QR code, and the log for a decision that could not be issued after an approval. Set when the app is
 * built (`decisionRoutes`), so that a broken template stops the start; decisions are issued from the approve
 * step of the cases feature, which has no access to the app's context.
 */
export interface DecisionSettings {
  publicBaseUrl: string;
  templates: TemplateSet;
  logger: Logger;
}

let current: DecisionSettings | undefined;

export function configureDecisions(ctx: AppContext, templatesDir: string = TEMPLATES_DIR): DecisionSettings {
  const templates = loadTemplates(templatesDir);
  const { config } = ctx;
  // Read at each issue: in development the start fills in the port it actually listens on (server.ts).
  current = {
    get publicBaseUrl() {
      return config.publicBaseUrl;
    },
    templates,
    logger: ctx.logger,
  };
  ctx.logger.debug({ templates: templates.files }, 'decision templates loaded');
  return current;
}

/**
 * The settings in force. A command that uses the services without building the app (`npm run seed:demo`)
 * gets them from the environment, as the service would.
 */
export function decisionSettings(): DecisionSettings {
  if (!current) {
    const config = loadConfig();
    current = configureDecisions({ config, logger: createLogger(config.logLevel) });
  }
  return current;
}
