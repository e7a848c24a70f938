import { dmy, vnDay } from '../core/shared/dates.js';
import { formatVnd, formatVndWithUnit } from '../core/money.js';
import { periodLabel, periodOfKey } from '../reports/index.js';
import { amountsChart } from './chart.js';
import type { PublicRow } from './folding.js';
import { html, page, type Html } from './html.js';
import type { PublicSummary } from './summary.service.js';

/** The periods offered: this year's and last year's quarters, halves and whole years, newest first. */
function periodChoices(selected: string, today: string = vnDay()): string[] {
  const year = Number(today.slice(0, 4));
  const keys = [year, year - 1]
    .flatMap((y) => [`${y}-Q4`, `${y}-Q3`, `${y}-Q2`, `${y}-Q1`, `${y}-H2`, `${y}-H1`, `${y}`])
    .filter((key) => periodOfKey(key).from <= today);
  return keys.includes(selected) ? keys : [selected, ...keys];
}

function groupName(row: PublicRow): string {
  if (!row.key) return `Khác (${row.groups} nhóm dưới 5 người, gộp lại)`;
  return row.campaign ? `${row.program} — ${row.campaign}` : row.program;
}

function figuresCells(f: Pick<PublicRow, 'approved' | 'disbursed' | 'beneficiariesPaid'>): Html {
  return html`<td class="num" data-label="Hồ sơ được duyệt">${formatVnd(f.approved.count)}</td>
    <td class="num" data-label="Số tiền phê duyệt">${formatVndWithUnit(f.approved.amount)}</td>
    <td class="num" data-label="Số tiền đã chi">${formatVndWithUnit(f.disbursed.amount)}</td>
    <td class="num" data-label="Số người đã nhận">${formatVnd(f.beneficiariesPaid)}</td>`;
}

function groupsTable(summary: PublicSummary): Html {
  if (!summary.rows.length)
    return html`<p class="card">Trong kỳ này chưa có hồ sơ được phê duyệt hay khoản chi nào.</p>`;
  return html`<div class="card table-wrap">
    <table class="stack">
      <thead>
        <tr>
          <th>Chương trình, đợt</th>
          <th class="num">Hồ sơ được duyệt</th>
          <th class="num">Số tiền phê duyệt</th>
          <th class="num">Số tiền đã chi</th>
          <th class="num">Số người đã nhận</th>
        </tr>
      </thead>
      <tbody>
        ${summary.rows.map(
          (row) =>
            html`<tr>
              <td class="name">${groupName(row)}</td>
              ${figuresCells(row)}
            </tr>`,
        )}
        <tr class="total">
          <td class="name">Tổng cộng</td>
          ${figuresCells(summary.total)}
        </tr>
      </tbody>
    </table>
    <p class="note">
      Nhóm có dưới ${summary.minGroupSize} người được gộp vào dòng "Khác" để không ai bị nhận diện. Tổng số người đã
      nhận đếm mỗi người một lần.
    </p>
  </div>`;
}

function decisionsTable(summary: PublicSummary): Html {
  if (!summary.decisions.length) return html`<p class="card">Trong kỳ này chưa có quyết định nào được ban hành.</p>`;
  return html`<div class="card table-wrap">
    <table class="stack">
      <thead>
        <tr>
          <th>Số quyết định</th>
          <th>Ngày</th>
          <th>Chương trình</th>
          <th class="num">Số người</th>
          <th class="num">Tổng số tiền</th>
          <th>Trạng thái</th>
        </tr>
      </thead>
      <tbody>
        ${summary.decisions.map(
          (d) =>
            html`<tr>
              <td class="name">${d.number}</td>
              <td data-label="Ngày">${dmy(d.issuedAt)}</td>
              <td data-label="Chương trình">
                ${d.campaignName ? `${d.programName} — ${d.campaignName}` : d.programName}
              </td>
              <td class="num" data-label="Số người">${formatVnd(d.caseCount)}</td>
              <td class="num" data-label="Tổng số tiền">${formatVndWithUnit(d.totalAmount)}</td>
              <td data-label="Trạng thái">${d.status === 'revoked' ? 'Đã thu hồi' : 'Còn hiệu lực'}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <p class="note no-print">
      Kiểm tra một quyết định: <a href="/xac-minh?issuer=${summary.org.code}">tra cứu theo số</a>.
    </p>
  </div>`;
}

/** `/cong-khai/:code`: what the public may see of a province's support in a period (SPEC §15). */
export function summaryPage(summary: PublicSummary): string {
  const key = summary.period.key ?? '';
  const t = summary.total;
  const bars = summary.rows.map((row) => ({
    label: groupName(row),
    approved: row.approved.amount,
    paid: row.disbursed.amount,
  }));
  return page(
    `Công khai — ${summary.org.name}`,
    html`<h1>Công khai hỗ trợ đoàn viên<br /><small>${summary.org.name}</small></h1>
      <form method="get" action="/cong-khai/${summary.org.code}" class="card">
        <label
          >Kỳ<select name="period">
            ${periodChoices(key).map((k) => html`<option value="${k}" ${k === key ? html` selected` : ''}>${periodLabel(periodOfKey(k))}</option>`)}
          </select></label
        >
        <button type="submit">Xem</button>
      </form>
      <section class="card">
        <h2>
          ${summary.periodLabel}
          <small class="note">(từ ${dmy(summary.period.from)} đến ${dmy(summary.period.to)})</small>
        </h2>
        <dl>
          <dt>Hồ sơ được phê duyệt</dt>
          <dd>${formatVnd(t.approved.count)}</dd>
          <dt>Số tiền phê duyệt</dt>
          <dd>${formatVndWithUnit(t.approved.amount)}</dd>
          <dt>Số tiền đã chi</dt>
          <dd>${formatVndWithUnit(t.disbursed.amount)}</dd>
          <dt>Số người đã nhận</dt>
          <dd>${formatVnd(t.beneficiariesPaid)}</dd>
        </dl>
      </section>
      ${amountsChart(bars, 'Số tiền phê duyệt và đã chi theo chương trình, đợt')}
      <h2>Theo chương trình và đợt</h2>
      ${groupsTable(summary)}
      <h2>Quyết định đã ban hành trong kỳ</h2>
      ${decisionsTable(summary)}
      <p class="note">Số liệu tổng hợp từ hệ thống Mái ấm, không có thông tin cá nhân. In lúc ${dmy(vnDay())}.</p>`,
  );
}
