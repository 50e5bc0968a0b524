/** An ECharts chart as a Preact component: created once, updated with each new option. */
import * as echarts from 'echarts';
import { html } from 'htm/preact';
import { useEffect, useRef } from 'preact/hooks';

export type ChartOption = echarts.EChartsOption;

export interface ChartProps {
  option: ChartOption;
  /** What the chart shows, for screen readers (the data is also in a table beside it). */
  label: string;
  height?: number;
  onClick?: (params: echarts.ECElementEvent) => void;
  /** Called after each render, e.g. to place HTML markers at data coordinates. */
  onRendered?: (chart: echarts.ECharts, element: HTMLDivElement) => void;
  testId?: string;
}

export function Chart({ option, label, height = 260, onClick, onRendered, testId }: ChartProps) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const click = useRef(onClick);
  click.current = onClick;
  const rendered = useRef(onRendered);
  rendered.current = onRendered;

  useEffect(() => {
    const c = echarts.init(element.current!, undefined, { renderer: 'canvas' });
    chart.current = c;
    c.on('click', (p) => click.current?.(p as echarts.ECElementEvent));
    // A resize moves every point: what onRendered measured (e.g. where the knee is) is measured again.
    const observer = new ResizeObserver(() => {
      c.resize();
      rendered.current?.(c, element.current!);
    });
    observer.observe(element.current!);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const c = chart.current!;
    c.setOption({ animation: false, aria: { enabled: true, label: { description: label } }, textStyle: { fontSize: 13 }, ...option }, true);
    onRendered?.(c, element.current!);
  }, [option, label]);

  return html`<div class="chart" ref=${element} role="img" aria-label=${label} data-testid=${testId} style=${`height:${height}px`}></div>`;
}

/** A bar histogram with the unit on the x axis and "modules" on the y axis. */
export function histogramOption(bins: { from: number; to: number; count: number }[], axisName: string, digits = 1): ChartOption {
  return {
    grid: { left: 56, right: 16, top: 16, bottom: 64 },
    tooltip: { trigger: 'axis', valueFormatter: (v) => `${v} modules` },
    xAxis: {
      type: 'category',
      name: axisName,
      nameLocation: 'middle',
      nameGap: 40,
      data: bins.map((b) => `${b.from.toFixed(digits)}–${b.to.toFixed(digits)}`),
      axisLabel: { rotate: 30, fontSize: 11 },
    },
    yAxis: { type: 'value', name: 'Modules', nameLocation: 'middle', nameGap: 40, minInterval: 1 },
    series: [{ type: 'bar', data: bins.map((b) => b.count), itemStyle: { color: '#2f6f9f' }, barCategoryGap: '8%' }],
  };
}
