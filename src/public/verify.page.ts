import { dmy, vnDay } from '../core/shared/dates.js';
import { formatVndWithUnit } from '../core/money.js';
import type { Verification } from '../decisions/index.js';
import { html, page, type Html } from './html.js';

/** What a member or a bank officer compares the paper with: Vietnamese, phone-sized, nothing personal. */
export function verificationCard(v: Verification): Html {
  const revoked = v.status === 'revoked';
  return html`<section class="card" aria-labelledby="result">
    <h1 id="result">Quyết định số ${v.number}</h1>
    <p>
      <span class="status ${revoked ? 'revoked' : 'valid'}">${revoked ? 'Đã thu hồi' : 'Còn hiệu lực'}</span
      >${revoked && v.revokedAt ? html` <span class="note">từ ngày ${dmy(vnDay(new Date(v.revokedAt)))}</span>` : ''}
    </p>
    <dl>
      <dt>Ngày ban hành</dt>
      <dd>${dmy(v.issuedAt)}</dd>
      <dt>Cơ quan ban hành</dt>
      <dd>${v.issuer.name}</dd>
      <dt>Chương trình</dt>
      <dd>${v.programName}</dd>
      <dt>Số người được hỗ trợ</dt>
      <dd>${v.caseCount}</dd>
      <dt>Tổng số tiền</dt>
      <dd>${formatVndWithUnit(v.totalAmount)}</dd>
      <dt>Mã SHA-256 của tệp PDF</dt>
      <dd class="hash">${v.sha256}</dd>
    </dl>
    <p class="note">
      Văn bản đúng khi các thông tin trên trùng với bản giấy. Mã SHA-256 dùng để đối chiếu tệp PDF bạn nhận được với tệp
      gốc đã lưu.
    </p>
  </section>`;
}

export function verificationPage(v: Verification): string {
  return page(
    `Xác thực Quyết định số ${v.number}`,
    html`${verificationCard(v)}
      <p class="no-print"><a href="/xac-minh">Tra cứu quyết định khác theo số</a></p>`,
  );
}

export interface LookupForm {
  number?: string;
  issuer?: string;
  year?: string;
}

/** `/xac-minh`: the number and issuer as printed on the paper; the answer (or why there is none) below the form. */
export function lookupPage(form: LookupForm, outcome?: { result?: Verification; error?: string }): string {
  return page(
    'Tra cứu quyết định',
    html`<section class="card">
        <h1>Tra cứu quyết định hỗ trợ</h1>
        <p class="note">
          Nhập số quyết định và mã đơn vị ban hành như in trên giấy (ví dụ số <b>15/QĐ-LĐLĐ</b>, đơn vị <b>HT</b>).
        </p>
        <form method="get" action="/xac-minh">
          <label
            >Số quyết định<input
              name="number"
              required
              maxlength="40"
              value="${form.number ?? ''}"
              placeholder="15/QĐ-LĐLĐ"
              autocomplete="off"
          /></label>
          <label
            >Mã đơn vị ban hành<input
              name="issuer"
              required
              maxlength="20"
              value="${form.issuer ?? ''}"
              placeholder="HT"
              autocomplete="off"
          /></label>
          <label
            >Năm ban hành (nếu cần)<input
              name="year"
              inputmode="numeric"
              pattern="[0-9]{4}"
              maxlength="4"
              value="${form.year ?? ''}"
              placeholder="2026"
          /></label>
          <button type="submit">Tra cứu</button>
        </form>
      </section>
      ${outcome?.error ? html`<p class="card error" role="alert">${outcome.error}</p>` : ''}
      ${outcome?.result ? verificationCard(outcome.result) : ''}`,
  );
}

export function notFoundPage(detail: string): string {
  return page(
    'Không tìm thấy',
    html`<section class="card">
      <h1>Không tìm thấy</h1>
      <p class="error" role="alert">${detail}</p>
      <p><a href="/xac-minh">Tra cứu quyết định theo số</a></p>
    </section>`,
  );
}
