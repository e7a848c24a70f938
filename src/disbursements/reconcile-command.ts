/**
 * `npm run reconcile`: recomputes every fund's and case's totals from the raw records and prints each
 * difference (the same check as GET /api/v1/admin/reconciliation, for the whole database). Exits 1 when
 * something differs, so that a scheduler can alert. Without MONGODB_URI it opens the embedded database
 * under DATA_DIR, so stop the service first.
 */
import { loadConfig } from '../core/config.js';
import { createLogger } from '../core/logger.js';
import { formatVnd } from '../core/money.js';
import { openDatabase } from '../server.js';
import { reconcile } from './reconciliation.js';
import { checkReportTotals } from '../reports/index.js';
import { checkOrgPaths } from '../reorganisation/index.js';

const config = loadConfig();
const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
const database = await openDatabase(config, logger);
const print = (line: string) => process.stdout.write(`${line}\n`);
const shown = (value: number | string | null) => (typeof value === 'number' ? formatVnd(value) : String(value));

let exitCode = 0;
try {
  const report = await reconcile(null);
  // The report totals (reports feature) are checked against the same raw records.
  const reportTotals = await checkReportTotals(null);
  // Every document's chain of ancestors is its organisation's current one (SPEC §13, after reorganisations).
  const orgPaths = await checkOrgPaths();
  if (process.argv.includes('--json')) {
    print(JSON.stringify({ ...report, reportTotals, orgPaths }, null, 2));
  } else {
    print(`Đối soát lúc ${report.checkedAt}: ${report.funds} nguồn kinh phí, ${report.cases} hồ sơ có tiền.`);
    for (const d of report.differences) {
      print(
        `  ${d.entity} ${d.code} (${d.id}) ${d.field}: ghi nhận ${shown(d.recorded)}, tính lại ${shown(d.expected)} — ${d.source}`,
      );
    }
    print(report.ok ? 'Khớp: không có chênh lệch.' : `Có ${report.differences.length} chênh lệch.`);
    for (const d of reportTotals.differences)
      print(`  tổng báo cáo ${d.bucket} ${d.field}: ghi nhận ${shown(d.recorded)}, tính lại ${shown(d.expected)}`);
    print(
      reportTotals.differences.length
        ? `Tổng báo cáo: ${reportTotals.differences.length} chênh lệch (npm run reports:rebuild tính lại).`
        : `Tổng báo cáo: ${reportTotals.buckets} nhóm theo tháng khớp với hồ sơ và khoản chi.`,
    );
    for (const d of orgPaths)
      print(
        `  ${d.collection} của tổ chức ${d.orgId}: ${d.count} bản ghi mang chuỗi cấp trên ${d.recorded.join('/')}, hiện tại ${d.expected?.join('/') ?? 'không có'}`,
      );
    print(
      orgPaths.length
        ? `Chuỗi cấp trên: ${orgPaths.length} nhóm lệch.`
        : 'Chuỗi cấp trên: mọi bản ghi khớp với tổ chức của nó.',
    );
  }
  exitCode = report.ok && !reportTotals.differences.length && !orgPaths.length ? 0 : 1;
} finally {
  await database.close();
}
process.exit(exitCode);
