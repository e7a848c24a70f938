import { Empty, Flex, Segmented, Skeleton } from 'antd';
import type { EChartsCoreOption } from 'echarts/core';
import { lazy, Suspense, useMemo } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert';
import { money } from '../../lib/format';
import { monthsOf } from './reportPeriod';
import { useSummary } from './reportQueries';
import type { ReportFilter, SummaryReport } from './reportTypes';

// ECharts comes with this chunk only: the first page and the other sections never download it.
const EChart = lazy(() => import('./EChart'));

export type ChartBy = 'month' | 'program';
const HEIGHT = 320;
const BY_OPTIONS = [
  { value: 'month', label: 'Theo tháng' },
  { value: 'program', label: 'Theo chương trình' },
];

interface Bars {
  names: string[];
  approved: number[];
  disbursed: number[];
}

/** One bar pair per month of the period (empty months too) or per program that has figures. */
function barsOf(report: SummaryReport, by: ChartBy): Bars {
  const keys = by === 'month' ? monthsOf(report.period) : report.rows.map((row) => row.key.program ?? '');
  const rowOf = (key: string) => report.rows.find((row) => (row.key[by] ?? '') === key);
  return {
    names: keys.map((key) =>
      by === 'month' ? `${key.slice(5)}/${key.slice(0, 4)}` : (rowOf(key)?.labels.program ?? key),
    ),
    approved: keys.map((key) => rowOf(key)?.approved.amount ?? 0),
    disbursed: keys.map((key) => rowOf(key)?.disbursed.amount ?? 0),
  };
}

/** Axis ticks in millions and billions (`50 tr`, `1,2 tỷ`): full amounts are in the tooltip and the table. */
function shortMoney(value: number): string {
  const short = (n: number) => n.toLocaleString('vi-VN', { maximumFractionDigits: 1 });
  if (Math.abs(value) >= 1e9) return `${short(value / 1e9)} tỷ`;
  if (Math.abs(value) >= 1e6) return `${short(value / 1e6)} tr`;
  return short(value);
}

function optionOf(bars: Bars, by: ChartBy): EChartsCoreOption {
  return {
    animation: false,
    color: ['#1d4ed8', '#b3122b'],
    tooltip: { trigger: 'axis', valueFormatter: (value: unknown) => money(Number(value)) },
    legend: { top: 0 },
    // Axis labels inside the box (what `containLabel` did before ECharts 6), with room for a wrapped second line.
    grid: { left: 8, right: 8, top: 40, bottom: 24, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    // Program names wrap under their bars; twelve months on a phone drop the labels that would overlap.
    xAxis: {
      type: 'category',
      data: bars.names,
      axisLabel: by === 'program' ? { interval: 0, width: 96, overflow: 'break' } : { hideOverlap: true },
    },
    yAxis: { type: 'value', axisLabel: { formatter: shortMoney } },
    series: [
      { name: 'Phê duyệt', type: 'bar', data: bars.approved, barMaxWidth: 48 },
      { name: 'Chi trả', type: 'bar', data: bars.disbursed, barMaxWidth: 48 },
    ],
  };
}

function summaryText(report: SummaryReport, bars: Bars, by: ChartBy): string {
  const most = bars.disbursed.reduce((best, amount, i) => (amount > (bars.disbursed[best] ?? 0) ? i : best), 0);
  const peak =
    (bars.disbursed[most] ?? 0) > 0 ? ` Chi trả nhiều nhất: ${bars.names[most]} (${money(bars.disbursed[most])}).` : '';
  return (
    `Biểu đồ cột số tiền phê duyệt và chi trả theo ${by === 'month' ? 'tháng' : 'chương trình'}, ${report.periodLabel}. ` +
    `Tổng phê duyệt ${money(report.total.approved.amount)}, tổng chi trả ${money(report.total.disbursed.amount)}.${peak}`
  );
}

/** Amounts approved and paid by month or by program; the summary table above is its accessible equivalent. */
export function AmountsChart({ filter, by, onBy }: { filter: ReportFilter; by: ChartBy; onBy: (by: ChartBy) => void }) {
  const summary = useSummary(filter, [by]);
  const report = summary.data;
  const chart = useMemo(() => {
    if (!report || report.groupBy[0] !== by) return null;
    const bars = barsOf(report, by);
    return { bars, option: optionOf(bars, by), label: summaryText(report, bars, by) };
  }, [report, by]);
  const empty = chart && chart.bars.approved.every((v) => !v) && chart.bars.disbursed.every((v) => !v);
  return (
    <Flex vertical gap={12}>
      <Segmented<ChartBy>
        aria-label="Biểu đồ theo"
        value={by}
        options={BY_OPTIONS as { value: ChartBy; label: string }[]}
        onChange={onBy}
      />
      <ErrorAlert error={summary.error} />
      {!chart ? (
        <Skeleton active paragraph={{ rows: 6 }} />
      ) : empty ? (
        <Empty description="Không có số tiền phê duyệt hay chi trả trong kỳ này" />
      ) : (
        <Suspense fallback={<Skeleton active paragraph={{ rows: 6 }} />}>
          <EChart option={chart.option} label={chart.label} height={HEIGHT} />
        </Suspense>
      )}
    </Flex>
  );
}
