/**
 * `npm run reports:rebuild`: recomputes the monthly report totals from the cases and payment entries and
 * replaces the stored ones. Stop the service first (without MONGODB_URI it opens the embedded database under
 * DATA_DIR, which is locked while the service runs; on MongoDB a payment during the rebuild could be lost).
 */
import { loadConfig } from '../core/config.js';
import { createLogger } from '../core/logger.js';
import { openDatabase } from '../server.js';
import { checkReportTotals, rebuildReportTotals } from './totals.rebuild.js';

const config = loadConfig();
const database = await openDatabase(config, createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel));
let exitCode = 0;
try {
  const started = Date.now();
  const { buckets } = await rebuildReportTotals();
  const check = await checkReportTotals();
  process.stdout.write(
    `Đã tính lại tổng báo cáo: ${buckets} nhóm theo tháng trong ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
      `${check.differences.length ? `còn ${check.differences.length} chênh lệch` : 'khớp với dữ liệu gốc'}.\n`,
  );
  exitCode = check.differences.length ? 1 : 0;
} finally {
  await database.close();
}
process.exit(exitCode);
