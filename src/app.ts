import compression from 'compression';
import cookieParser from 'cookie-parser';
import cors from 'cors';
import express from 'express';
import helmet from 'helmet';
import swaggerUi from 'swagger-ui-express';
import { auditRoutes } from './audit/index.js';
import { authenticate, authRoutes, requireRoles } from './auth/index.js';
import type { AppContext } from './core/context.js';
import { NotFoundError } from './core/errors.js';
import { requireJsonOrMultipart } from './core/http/content-type.js';
import { errorHandler } from './core/http/error-handler.js';
import { buildOpenApi } from './core/http/openapi.js';
import { requestLogging } from './core/http/request-logging.js';
import { rateLimit } from './core/http/rate-limit.js';
import { buildRouter, type RouteDef } from './core/http/route.js';
import { setStepDelay } from './core/shared/step-pause.js';
import { memberRoutes } from './members/index.js';
import { campaignRoutes } from './campaigns/index.js';
import { batchRoutes } from './batches/index.js';
import { caseRoutes } from './cases/index.js';
import { decisionRoutes } from './decisions/index.js';
import { documentRoutes } from './documents/index.js';
import { registerEffects } from './effects.js';
import { disbursementRoutes, listPaymentRoutes, reconciliationRoutes } from './disbursements/index.js';
import { fundRoutes } from './funds/index.js';
import { orgRoutes } from './orgs/index.js';
import { programRoutes } from './programs/index.js';
import { publicPages, publicRoutes } from './public/index.js';
import { rebuildRoutes, reportRoutes } from './reports/index.js';
import { jobRoutes } from './jobs/index.js';
import { reorganisationRoutes } from './reorganisation/index.js';
import { healthRouter } from './system/system.routes.js';
import { webPages } from './system/web-pages.js';
import { userRoutes } from './users/index.js';

export const API_VERSION = '0.1.0';

/** Every API route of the service: the router and the OpenAPI document are both built from this list. */
export function apiRoutes(ctx: AppContext): RouteDef[] {
  return [
    ...authRoutes(ctx),
    ...orgRoutes,
    ...userRoutes,
    ...memberRoutes,
    ...programRoutes,
    ...campaignRoutes,
    ...caseRoutes,
    ...documentRoutes(ctx),
    ...decisionRoutes(ctx),
    ...fundRoutes,
    ...disbursementRoutes(ctx),
    ...reconciliationRoutes,
    ...reportRoutes(ctx),
    ...rebuildRoutes(ctx),
    ...batchRoutes(ctx),
    ...auditRoutes,
    ...jobRoutes(ctx),
    ...listPaymentRoutes(ctx),
    ...publicRoutes,
    ...reorganisationRoutes(ctx),
  ];
}

export interface AppOptions extends AppContext {
  isShuttingDown?: () => boolean;
}

/** Builds the Express application without listening (tests drive it directly). */
export function createApp(options: AppOptions): express.Express {
  const { config, logger } = options;
  // Report totals and decisions follow the case lifecycle as subscribers (cases/lifecycle-events.ts).
  registerEffects();
  // Tests only (PAYMENT_STEP_DELAY_MS): single payments, reversals and approvals pause between their writes.
  setStepDelay(config.payments.stepDelayMs);
  const app = express();
  app.disable('x-powered-by');
  if (config.trustProxy)
    app.set('trust proxy', /^\d+$/.test(config.trustProxy) ? Number(config.trustProxy) : config.trustProxy);

  app.use(requestLogging(logger));
  // Scripts come from the service only. Ant Design writes its styles at run time (inline <style>), and
  // document previews are blob: URLs made from authenticated downloads.
  // TLS belongs to the load balancer; upgrading requests would break plain-HTTP intranet installs.
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          upgradeInsecureRequests: null,
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          frameSrc: ["'self'", 'blob:'],
          connectSrc: ["'self'"],
        },
      },
    }),
  );
  // Officers on slow connections: the pages' scripts and the JSON lists shrink several times with gzip. A request
  // that accepts no encoding (a script, a bank's reconciliation client, a probe) skips the middleware, which wraps
  // the response's writes for nothing then (about a tenth of a case read's CPU, docs/benchmarks.md); it still says
  // `Vary: Accept-Encoding`, as compression does for an answer it could have compressed.
  const compress = compression();
  app.use((req, res, next) => {
    if (req.headers['accept-encoding']) compress(req, res, next);
    else {
      res.vary('Accept-Encoding');
      next();
    }
  });
  if (config.corsOrigins.length)
    app.use(cors({ origin: config.corsOrigins, exposedHeaders: ['X-Request-Id', 'Retry-After'] }));

  app.use(healthRouter(options.isShuttingDown ?? (() => false)));

  const routes = apiRoutes(options);
  const openApi = buildOpenApi(routes, { version: API_VERSION });
  app.get('/api/v1/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  // The page fetches the document by URL: swagger-ui-express would otherwise paste it into its script with
  // String.replace, where a `$` followed by a backtick in a description splices the page's own text into the JSON.
  // No validator badge: it would call an outside site, which the CSP refuses.
  app.use(
    '/docs',
    swaggerUi.serve,
    swaggerUi.setup(undefined, {
      customSiteTitle: 'Mái ấm API',
      swaggerUrl: '/api/v1/openapi.json',
      swaggerOptions: { validatorUrl: null },
    }),
  );

  // API answers depend on who asks (allowedActions, full CCCD, scope) while their ETag is the case's revision:
  // nothing may be stored or revalidated from a cache, or the next user of the same browser would be shown the
  // previous user's answer (and personal data would stay on disk after logout). A route may say otherwise.
  app.use('/api/v1', (_req, res, next) => {
    res.set('Cache-Control', 'private, no-store');
    next();
  });
  app.use('/api/v1/auth', cookieParser());
  app.use('/api/v1', requireJsonOrMultipart, express.json({ limit: '1mb', strict: true }));
  const rateLimits = {
    public: rateLimit('public', config.rateLimits.public),
    auth: rateLimit('auth', config.rateLimits.auth),
  };
  app.use(publicPages(rateLimits.public));
  app.use('/api/v1', buildRouter(routes, { authenticate: authenticate(config), requireRoles, rateLimits }));
  app.use(webPages(config.webDistDir));
  app.use((_req, _res, next) => next(new NotFoundError('đường dẫn')));
  app.use(errorHandler);
  return app;
}
