import { formatVnd } from '../core/money.js';
import { html, type Html } from './html.js';

export interface ChartBar {
  label: string;
  approved: number;
  paid: number;
}

const WIDTH = 340;
const BAR = 14;
const GAP = 4;
const LABEL = 18;
const GROUP = LABEL + 2 * BAR + GAP + 14;
/** The legend's colours are the same two (html.ts styles). */
const COLORS = { approved: '#b71c1c', paid: '#1565c0' };

/** Millions with one decimal, as a caption beside a bar ("12,5 tr"); the table below has the exact đồng. */
function short(amount: number): string {
  if (amount < 1_000_000) return `${formatVnd(amount)} đ`;
  return `${(amount / 1_000_000).toLocaleString('vi-VN', { maximumFractionDigits: 1 })} tr`;
}

/**
 * Approved and paid amounts per group as horizontal bars, drawn on the server as SVG: no script, prints as
 * it shows, and each group's label sits above its bars so that a phone's width is enough.
 */
export function amountsChart(bars: readonly ChartBar[], title: string): Html {
  if (!bars.length) return html``;
  const max = Math.max(1, ...bars.flatMap((b) => [b.approved, b.paid]));
  const room = WIDTH - 70;
  const height = bars.length * GROUP;
  const bar = (y: number, value: number, color: string) => {
    const width = Math.max(value > 0 ? 2 : 0, Math.round((value / max) * room));
    return html`<rect x="0" y="${y}" width="${width}" height="${BAR}" fill="${color}"></rect
      ><text x="${width + 4}" y="${y + BAR - 3}" font-size="11" fill="#1f2328">${short(value)}</text>`;
  };
  const groups = bars.map((b, i) => {
    const top = i * GROUP;
    return html`<g
      ><text x="0" y="${top + 13}" font-size="12" font-weight="600" fill="#1f2328"
        >${b.label.length > 52 ? `${b.label.slice(0, 51)}…` : b.label}</text
      >${bar(top + LABEL, b.approved, COLORS.approved)}${bar(top + LABEL + BAR + GAP, b.paid, COLORS.paid)}</g
    >`;
  });
  return html`<figure class="card figure">
    <figcaption><b>${title}</b></figcaption>
    <p class="legend"><span class="approved">Đã phê duyệt</span><span class="paid">Đã chi</span></p>
    <svg
      class="chart"
      role="img"
      aria-label="${title}"
      viewBox="0 0 ${WIDTH} ${height}"
      preserveAspectRatio="xMinYMin meet"
    >
      ${groups}
    </svg>
  </figure>`;
}
