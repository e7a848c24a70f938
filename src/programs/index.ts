export { programRoutes } from './programs.routes.js';
export { ensureBuiltinPrograms } from './programs.service.js';
export { BUILTIN_PROGRAMS, type ProgramData, type ProgramRules } from './builtin-programs.js';
