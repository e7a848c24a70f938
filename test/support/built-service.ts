/**
 * How tests start the service and its commands as processes: the built files (`dist/`), as `npm start` runs them,
 * not the sources through tsx, which read and compiled the whole service again at every start (about a second more
 * each, some seventy starts in the suite). `npm test` and `npm run test:files` bring `dist/` up to date first
 * (`pretest`: `tsc -b`, about a second when nothing changed).
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

/** Node's arguments to run `src/<path>.ts` as built (`builtScript('server')` is the service). */
export function builtScript(path: string): string[] {
  return [resolve(projectRoot, 'dist', `${path}.js`)];
}
