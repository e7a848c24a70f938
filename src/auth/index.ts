export { authRoutes } from './auth.routes.js';
export { authenticate, requireRoles } from './auth.middleware.js';
export { purgeExpiredTokens } from './auth.service.js';
export { purgeOldThrottles } from './login-throttle.js';
