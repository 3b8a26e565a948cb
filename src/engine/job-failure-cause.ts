/**
 * Why a local SageMaker job failed, in the words a person needs: SageMaker's FailureReason is often
 * "AlgorithmError: , exit code: 1" (a script with its own entry point writes no failure file), while
 * the job's log in the home ends with the Python exception. Progress and the run summary add it.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { jobLogFile } from './log-subjects.js';
import type { TaskFailure } from './progress.js';
import { lastPythonException } from './python-traceback.js';

const JOB_NAME_FIELDS = ['TrainingJobName', 'ProcessingJobName', 'TransformJobName'] as const;
/** The traceback is at the end of the log. */
const TAIL_BYTES = 64 * 1024;

/** The job a `.sync` task's failure is about (its Describe* output is the cause), if any. */
export function failedJobName(details: Record<string, unknown> | undefined): string | undefined {
  for (const f of JOB_NAME_FIELDS) if (typeof details?.[f] === 'string') return details[f];
  return undefined;
}

/** The exception the job's log ends with and how to read the rest, e.g. "ValueError: ... (mlops-sfn logs <job>)". */
export function jobLogCause(home: string, job: string): string | undefined {
  let file: string;
  try {
    file = jobLogFile(home, job);
  } catch {
    return undefined;
  }
  const exception = lastPythonException(tail(file));
  return exception ? `${exception} (mlops-sfn logs ${job})` : `see mlops-sfn logs ${job}`;
}

/** Progress's `explainFailure` for local runs. */
export function localFailureExplainer(home: string): (f: TaskFailure) => string | undefined {
  return (f) => {
    const job = failedJobName(f.details);
    return job ? jobLogCause(home, job) : undefined;
  };
}

function tail(file: string): string {
  let fd: number | undefined;
  try {
    const size = statSync(file).size;
    const start = Math.max(0, size - TAIL_BYTES);
    const buf = Buffer.alloc(size - start);
    fd = openSync(file, 'r');
    const n = readSync(fd, buf, 0, buf.length, start);
    return buf.subarray(0, n).toString('utf8');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
