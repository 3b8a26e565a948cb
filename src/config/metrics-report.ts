/**
 * The metrics an evaluation report holds, as the pipeline's state machine reads them
 * (`METRICS_OF` in definition/metrics-states.ts, which is JSONata and runs in the cloud too): a
 * number, or an object whose `value` is a number, at the top level or in a group whose name ends in
 * `_metrics` (SageMaker's model-quality format); top-level values win over grouped ones. Used by
 * `validate` to tell which metrics an approval rule may name.
 */
import { isJsonObject, type Json, type JsonObject } from '../core/json.js';

export function metricsOfReport(report: Json): Record<string, number> {
  if (!isJsonObject(report)) return {};
  const grouped: Record<string, number> = {};
  for (const [k, v] of Object.entries(report)) if (isJsonObject(v) && groupName(k)) Object.assign(grouped, valuesOf(v));
  return { ...grouped, ...valuesOf(report) };
}

/** JSONata's `$substring($k, -8) = '_metrics'`: the last 8 characters, or the whole of a shorter key. */
function groupName(key: string): boolean {
  return [...key].slice(-8).join('') === '_metrics';
}

function valuesOf(o: JsonObject): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'number') out[k] = v;
    else if (isJsonObject(v) && typeof v['value'] === 'number') out[k] = v['value'];
  }
  return out;
}
