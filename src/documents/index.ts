export { documentRoutes } from './documents.routes.js';
