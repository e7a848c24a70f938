// Fetches the embedded engine's jars with Maven and compiles the launcher into .embedded/ (ignored by git).
// Runs once; later calls return at once. Used by `npm start` (through the service) and `npm test`.
import { ensureEmbeddedEngine } from '../../src/core/db/engine-files.js';

try {
  const files = ensureEmbeddedEngine({ log: (line) => process.stderr.write(`${line}\n`) });
  process.stderr.write(`embedded engine ready in ${files.home}\n`);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
