/**
 * Approval rules that name a metric the evaluation step does not write. Which metrics it writes
 * can be known only from a report it wrote: the caller (validate) finds the newest one of this
 * pipeline in the home, written after the pipeline's scripts last changed. Without one (before the
 * first run, after the evaluation script changed) nothing is checked here, and a run whose rule
 * names a missing metric is rejected with "(no value ...)".
 */
import type { PathSegment } from './field-path.js';
import { parseApprovalRule } from './approval-rules.js';
import type { PipelineConfig } from './pipeline-schema.js';
import type { ConfigProblem } from './problems.js';
import type { SourceMap } from './yaml-source.js';
import { locatedProblem } from './located-problem.js';

export interface EvaluationMetrics {
  /** The metric names the report holds. */
  readonly names: readonly string[];
  /** Where they were read, for the message ("s3://…/evaluation.json of evaluation job …"). */
  readonly source: string;
}

/** Finds what the evaluation step writes, given the newest modification time (ms) of the pipeline's scripts. */
export type EvaluationMetricsLookup = (config: PipelineConfig, scriptsChangedAt: number) => Promise<EvaluationMetrics | undefined>;

export function ruleMetricProblems(config: PipelineConfig, sourceMap: SourceMap, file: string, known: EvaluationMetrics): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const have = new Set(known.names);
  const listed = [...known.names].sort().join(', ');
  const check = (metric: string, path: PathSegment[]) => {
    if (have.has(metric)) return;
    out.push(
      locatedProblem(
        sourceMap,
        file,
        path,
        `the evaluation step does not write a metric named ${JSON.stringify(metric)}, so this rule would reject every model (its report ${known.source} has: ${listed}; name one of those)`,
      ),
    );
  };
  config.approval.rules.forEach((text, i) => {
    const parsed = parseApprovalRule(text);
    if (parsed.ok) check(parsed.rule.metric, ['approval', 'rules', i]);
  });
  const compare = config.approval.compare_to_approved;
  if (compare) check(compare.metric, ['approval', 'compare_to_approved', 'metric']);
  return out;
}
