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

/** An ECharts instance tied to a div: created on mount, given each new option, resized with the window, disposed on unmount. */
export default function EChart({ option, label, height }: EChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.EChartsType | null>(null);

  useEffect(() => {
    const instance = echarts.init(container.current!, undefined, { renderer: 'svg' });
    chart.current = instance;
    const resize = () => instance.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
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
