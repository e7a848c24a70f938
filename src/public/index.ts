export { publicRoutes } from './public.routes.js';
export { publicPages } from './public.pages.js';
