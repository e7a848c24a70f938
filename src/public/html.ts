import escapeHtml from 'escape-html';

/** Text already escaped (or markup we wrote): `html` leaves it as it is. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Value = string | number | Html | null | undefined | false | readonly Value[];

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return (value as readonly Value[]).map(render).join('');
  return escapeHtml(String(value as string | number));
}

/** A template for markup in which every interpolated value is escaped unless it is markup itself. */
export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  return new Html(strings.reduce((out, text, i) => out + text + (i < values.length ? render(values[i]!) : ''), ''));
}

/**
 * The public pages' styles, inline: the pages are one request each, load without the signed-in bundle, and the
 * service's CSP allows inline styles (never inline scripts; these pages have no script at all). Readable on a
 * 375 px phone; printed on A4 without the forms.
 */
const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;color:#1f2328;background:#f5f6f8}
header{background:#b71c1c;color:#fff;padding:12px 16px}
header a{color:#fff;text-decoration:none;font-weight:600}
header small{display:block;opacity:.9}
main{max-width:860px;margin:0 auto;padding:16px}
h1{font-size:1.35rem;margin:.2em 0 .6em}
h2{font-size:1.1rem;margin:1.4em 0 .5em}
.card{background:#fff;border-radius:8px;padding:16px;margin-bottom:16px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
.status{display:inline-block;padding:4px 12px;border-radius:16px;font-weight:700}
.valid{background:#e6f4ea;color:#0d652d}.revoked{background:#fce8e6;color:#a50e0e}
dl{display:grid;grid-template-columns:minmax(0,11em) minmax(0,1fr);gap:6px 12px;margin:0}
dt{color:#57606a}dd{margin:0;font-weight:600;overflow-wrap:anywhere}
.hash{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85rem;font-weight:400;word-break:break-all}
form{display:flex;flex-wrap:wrap;gap:8px;align-items:flex-end}
label{display:flex;flex-direction:column;font-size:.9rem;color:#57606a;flex:1 1 9em;min-width:0}
input,select{font:inherit;padding:8px;border:1px solid #8c959f;border-radius:6px;width:100%;background:#fff}
button{font:inherit;padding:9px 18px;border:0;border-radius:6px;background:#b71c1c;color:#fff;font-weight:600;cursor:pointer}
.error{color:#a50e0e;font-weight:600}
.note{color:#57606a;font-size:.9rem}
.table-wrap{overflow-x:auto}
table{width:100%;border-collapse:collapse;font-size:.92rem}
th,td{padding:6px 8px;border-bottom:1px solid #d0d7de;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;white-space:nowrap}
tr.total td{font-weight:700;border-top:2px solid #1f2328}
.figure{margin:0 0 16px}
.chart{width:100%;max-width:560px;height:auto;display:block}
.legend{display:flex;gap:16px;font-size:.85rem;color:#57606a}
.legend span::before{content:"";display:inline-block;width:12px;height:12px;margin-right:6px;vertical-align:-1px}
.legend .approved::before{background:#b71c1c}.legend .paid::before{background:#1565c0}
@media (max-width:600px){
  dl{grid-template-columns:1fr}dt{margin-top:6px}
  table.stack thead{display:none}
  table.stack tr{display:block;border-bottom:1px solid #d0d7de;padding:6px 0}
  table.stack td{display:flex;justify-content:space-between;gap:12px;border:0;padding:2px 0;text-align:right}
  table.stack td::before{content:attr(data-label);color:#57606a;text-align:left;font-weight:400}
  table.stack td.name{display:block;text-align:left;font-weight:600}
  table.stack td.name::before{content:none}
}
@media print{
  @page{size:A4;margin:15mm}
  body{background:#fff;font-size:11pt}
  header{background:none;color:#000;border-bottom:2px solid #000;padding:0 0 6px}
  header a{color:#000}
  main{max-width:none;padding:0}
  .card{box-shadow:none;padding:0;margin-bottom:10px}
  form,.no-print{display:none}
  tr{break-inside:avoid}
}
`;

/** A whole public page: Vietnamese, phone first, no script. */
export function page(title: string, body: Html): string {
  return html`<!doctype html>
    <html lang="vi">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} — Mái ấm Công đoàn</title>
        <style>
          ${new Html(STYLE)}
        </style>
      </head>
      <body>
        <header>
          <a href="/xac-minh">Mái ấm Công đoàn</a><small>Thông tin công khai của tổ chức công đoàn</small>
        </header>
        <main>${body}</main>
      </body>
    </html> `.value;
}
