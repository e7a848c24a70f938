/**
 * `npm run seed:demo`: loads a sample province (Hà Tĩnh) with unions, users of every role, members, cases and
 * a Tết list (demo-seed.ts). Safe to run again: what exists is left alone.
 * Without MONGODB_URI it opens the embedded database under DATA_DIR, so stop the service first.
 */
import { loadConfig } from '../core/config.js';
import { createLogger } from '../core/logger.js';
import { openDatabase } from '../server.js';
import { seedDemo } from './demo-seed.js';

const config = loadConfig();
const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
const database = await openDatabase(config, logger);

try {
  await seedDemo(config, (line) => process.stdout.write(`${line}\n`));
} finally {
  await database.close();
}
