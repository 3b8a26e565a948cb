/**
 * MetricDefinitions -> FinalMetricDataList (research §2.8): each regex runs over every log line
 * (stdout and stderr); its first capture group (the whole match if it has none) is the value;
 * captures that are not numbers are skipped; the last value per metric wins; metrics never seen
 * are left out; the list keeps MetricDefinitions' order.
 *
 * Users write Python `re` syntax, and the log is written by user code: each pattern runs on the
 * linear-time engine of core/metric-regex.ts, so no line can hang the job. CreateTrainingJob refuses
 * a pattern that engine cannot run; one that still fails to compile here is skipped.
 */
import type { Json } from '../../../core/json.js';
import { isJsonObject } from '../../../core/json.js';
import { compileMetricRegex, type MetricRegex } from '../../../core/metric-regex.js';

export interface MetricDatum {
  MetricName: string;
  Value: number;
  Timestamp: number;
}

interface CompiledMetric {
  readonly name: string;
  readonly re: MetricRegex;
}

/** Python's float() over a captured string, minus what JSON cannot carry (nan, inf). */
export function parseMetricValue(text: string): number | undefined {
  const t = text.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return undefined;
  const v = Number(t);
  return Number.isFinite(v) ? v : undefined;
}

export class MetricCollector {
  private readonly metrics: CompiledMetric[] = [];
  private readonly last = new Map<string, MetricDatum>();

  constructor(definitions: readonly Json[], private readonly now: () => number = Date.now) {
    for (const d of definitions) {
      if (!isJsonObject(d) || typeof d['Name'] !== 'string' || typeof d['Regex'] !== 'string') continue;
      try {
        this.metrics.push({ name: d['Name'], re: compileMetricRegex(d['Regex']) });
      } catch {
        // Not compilable here; the metric is never reported.
      }
    }
  }

  get empty(): boolean {
    return this.metrics.length === 0;
  }

  scan(line: string): void {
    for (const m of this.metrics) {
      const text = m.re.firstValue(line);
      if (text === undefined) continue;
      const value = parseMetricValue(text);
      if (value !== undefined) this.last.set(m.name, { MetricName: m.name, Value: value, Timestamp: this.now() });
    }
  }

  final(): MetricDatum[] {
    const out: MetricDatum[] = [];
    const seen = new Set<string>();
    for (const m of this.metrics) {
      const d = this.last.get(m.name);
      if (d !== undefined && !seen.has(m.name)) {
        out.push(d);
        seen.add(m.name);
      }
    }
    return out;
  }
}
