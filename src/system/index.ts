export { bootstrap, ROOT_ORG } from './bootstrap.js';
