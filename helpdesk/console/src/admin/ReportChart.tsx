/**
 * One chart of the reports page, drawn by Chart.js on a canvas: a line chart (tickets over time)
 * or a bar chart (the breakdown), right to left in Arabic (the category axis runs from the right,
 * the value axis stands on the right, legend and tooltips read right to left, Arabic-Indic digits).
 * Rebuilt when its data or direction changes, destroyed on unmount.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import { useEffect, useMemo, useRef } from 'react';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Legend,
  Tooltip,
);

/** What a chart shows: one label per point or bar, and each series with its words and colour. */
export interface ReportChartData {
  labels: string[];
  series: ReadonlyArray<{ label: string; data: number[]; color: string }>;
}

/**
 * @param kind `line` or `bar`; `data` the labels and series (keep it memoised: a new object
 *   redraws the chart); `rtl` right to left (Arabic); `label` the canvas's accessible name;
 *   `testId` its `data-testid`.
 */
export function ReportChart({
  kind,
  data,
  rtl,
  label,
  testId,
}: {
  kind: 'line' | 'bar';
  data: ReportChartData;
  rtl: boolean;
  label: string;
  testId: string;
}) {
  const config = useMemo<ChartConfiguration>(() => {
    const direction = rtl ? 'rtl' : 'ltr';
    return {
      type: kind,
      data: {
        labels: data.labels,
        datasets: data.series.map((series) => ({
          label: series.label,
          data: series.data,
          // A line is drawn with its border; a bar is filled.
          ...(kind === 'line' ? { borderColor: series.color } : {}),
          backgroundColor: series.color,
        })),
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        locale: rtl ? 'ar-EG' : 'en-GB',
        scales: {
          x: { reverse: rtl },
          y: { beginAtZero: true, position: rtl ? 'right' : 'left', ticks: { precision: 0 } },
        },
        plugins: {
          legend: { rtl, textDirection: direction },
          tooltip: { rtl, textDirection: direction },
        },
      },
    };
  }, [kind, data, rtl]);

  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return undefined;
    const chart = new Chart(canvas.current, config);
    return () => chart.destroy();
  }, [config]);
  return (
    <div className="reports-chart">
      <canvas ref={canvas} role="img" aria-label={label} data-testid={testId} />
    </div>
  );
}
