export { programRoutes } from './programs.routes.js';
export {
  ensureBuiltinPrograms,
  findProgram,
  openProgram,
  programNamedIn,
  assertProgramOpen,
  effectiveRules,
  forgetPrograms,
  provinceIdOf,
} from './programs.service.js';
export { BUILTIN_PROGRAMS, type ProgramData, type ProgramRules, type TrancheRule } from './builtin-programs.js';
