/**
 * A small line chart (uPlot) of one or more series over steps: a training job's metrics as its log
 * reports them, an endpoint's recent latencies.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

export interface Series {
  name: string;
  values: number[];
}

const COLORS = ['#0972d3', '#c45500', '#037f0c', '#7d3ac1', '#d91515', '#00848f'];

export function MetricsChart({ series, xLabel, yLabel, width = 380, height = 180 }: { series: Series[]; xLabel: string; yLabel?: string; width?: number; height?: number }) {
  const host = useRef<HTMLDivElement>(null);
  const key = JSON.stringify(series);
  useEffect(() => {
    if (!host.current || series.length === 0) return;
    const steps = Math.max(...series.map((s) => s.values.length));
    const xs = Array.from({ length: steps }, (_, i) => i + 1);
    const data: uPlot.AlignedData = [xs, ...series.map((s) => xs.map((_, i) => (i < s.values.length ? s.values[i]! : null)))];
    const plot = new uPlot(
      {
        width,
        height,
        scales: { x: { time: false } },
        legend: { show: series.length > 1 },
        // Steps are whole numbers: no 1.5th call.
        axes: [{ label: xLabel, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] }, yLabel ? { label: yLabel } : {}],
        series: [{ label: xLabel }, ...series.map((s, i) => ({ label: s.name, stroke: COLORS[i % COLORS.length]!, width: 2, points: { show: true, size: 5 } }))],
      },
      data,
      host.current,
    );
    return () => plot.destroy();
  }, [key, width, height]);
  return (
    <figure class="chart" data-testid="metrics-chart">
      <div ref={host} />
      <figcaption class="muted">{series.map((s) => `${s.name}: ${s.values.length} value${s.values.length === 1 ? '' : 's'}, last ${s.values[s.values.length - 1]}`).join(' · ')}</figcaption>
    </figure>
  );
}

/** A training job's MetricDefinitions matched over its log, as SageMaker does for CloudWatch. */
export function metricsFromLog(definitions: { Name: string; Regex: string }[], log: string): Series[] {
  const out: Series[] = [];
  for (const d of definitions) {
    let re: RegExp;
    try {
      re = new RegExp(d.Regex);
    } catch {
      continue;
    }
    const values: number[] = [];
    for (const line of log.split('\n')) {
      const m = re.exec(line);
      const v = m ? Number(m[1] ?? m[0]) : NaN;
      if (Number.isFinite(v)) values.push(v);
    }
    if (values.length) out.push({ name: d.Name, values });
  }
  return out;
}
