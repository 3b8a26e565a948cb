/**
 * JSONata fields of the rendered definition. Expressions are written readably in the renderers and
 * rendered on one line (runs of white space collapsed), so the ASL stays diffable; no literal in
 * them holds two spaces in a row.
 */
export function jsonata(body: string): string {
  return `{% ${body.trim().replace(/\s+/g, ' ')} %}`;
}

/**
 * A stage's SageMaker request as written in the pipeline, without what SageMaker would refuse:
 * top-level nulls (the seed writes `Environment:` with no value) and the seed's top-level
 * `AppManaged`, which is not a field of CreateProcessingJob (the seed's state machine never sent it).
 */
export function requestOf(stage: string): string {
  return `$sift($config.${stage}.input, function($v, $k) { $k != 'AppManaged' and $v != null })`;
}

/** "-r1", "-r2" after a job name when a stage is retried after a capacity error (names are unique). */
const RETRY_SUFFIX = `($attempt > 0 ? '-r' & $string($attempt) : '')`;

/**
 * "-d1", "-d2" after a job name once the execution has been redriven: SageMaker never reuses a job
 * name, so a redriven stage must not ask for its failed job's name again (ResourceInUse on AWS).
 */
const REDRIVE_SUFFIX = `($states.context.Execution.RedriveCount > 0 ? '-d' & $string($states.context.Execution.RedriveCount) : '')`;

/** A job name derived from the execution name, as the seed's state machine derived them. */
export function jobName(prefix: string | undefined): string {
  const suffixes = `${REDRIVE_SUFFIX} & ${RETRY_SUFFIX}`;
  return prefix === undefined ? `$execution & ${suffixes}` : `'${prefix}-' & $execution & ${suffixes}`;
}

/** The value of a JSON string (the JSONata literal for it). */
export function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * The assignment a Catch makes before routing to the shared failure handling: which stage failed,
 * on what resource, AWS's error and cause as the task reported them, and the state that failed
 * with the execution's redrive count then (a redrive goes back to that state: failure-states.ts).
 */
export function failureAssign(stage: string, resource: string): Record<string, string> {
  return {
    failure: jsonata(
      `{'stage': ${quote(stage)}, 'resource': ${resource}, 'error': $states.errorOutput.Error, 'cause': $states.errorOutput.Cause, 'state': $states.context.State.Name, 'redriveCount': $states.context.Execution.RedriveCount}`,
    ),
  };
}
