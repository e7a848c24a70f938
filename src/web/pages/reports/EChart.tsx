import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only the pieces a bar chart needs, so that this chunk stays small; it is loaded by the reports page alone.
echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, SVGRenderer]);

export interface EChartProps {
  option: echarts.EChartsCoreOption;
  /** A short text summary of what the chart shows: its accessible name (the table beside it has the figures). */
  label: string;
  height: number;
}

/** An ECharts instance tied to a div: created on mount, given each new option, resized with its box, disposed on unmount. */
export default function EChart({ option, label, height }: EChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.EChartsType | null>(null);

  useEffect(() => {
    const instance = echarts.init(container.current!, undefined, { renderer: 'svg' });
    chart.current = instance;
    // Resized with its box, not only with the window: a scroll bar or the page's own layout settling after the first
    // draw narrowed the box and left the chart's right end cut off at 1366 px.
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(container.current!);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return (
    <div ref={container} role="img" aria-label={label} className="report-chart" style={{ width: '100%', height }} />
  );
}
