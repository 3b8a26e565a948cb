/**
 * A state machine's loggingConfiguration and tracingConfiguration: checked as CreateStateMachine /
 * UpdateStateMachine check them, kept as given, and returned by the Describe actions with AWS's
 * defaults filled in. Nothing is sent to CloudWatch Logs or X-Ray locally (there are none); the
 * configuration is kept so that scripts which set it and read it back see what AWS would show.
 */
import type { LoggingConfiguration, TracingConfiguration } from '@aws-sdk/client-sfn';
import { StepFunctionsError, validationError } from './errors.js';

const LEVELS = ['ALL', 'ERROR', 'FATAL', 'OFF'];
const LOG_GROUP_ARN = /^arn:[a-z-]+:logs:[a-z0-9-]+:\d{12}:log-group:[\w./#-]{1,512}:\*$/;

/** The configuration as JSON text for the store, or undefined when none was given. */
export function checkLoggingConfiguration(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw new StepFunctionsError('ValidationException', "Member 'loggingConfiguration' must be a structure");
  const c = value as Record<string, unknown>;
  const level = c['level'] ?? 'OFF';
  if (typeof level !== 'string' || !LEVELS.includes(level)) {
    throw validationError('loggingConfiguration.level', level, `Member must satisfy enum value set: [${LEVELS.join(', ')}]`);
  }
  const include = c['includeExecutionData'];
  if (include !== undefined && include !== null && typeof include !== 'boolean') {
    throw new StepFunctionsError('ValidationException', "Member 'loggingConfiguration.includeExecutionData' must be a boolean");
  }
  const destinations = c['destinations'];
  if (destinations !== undefined && destinations !== null && !Array.isArray(destinations)) {
    throw new StepFunctionsError('ValidationException', "Member 'loggingConfiguration.destinations' must be a list");
  }
  const list = (destinations as unknown[] | undefined | null) ?? [];
  if (list.length > 1 || (level !== 'OFF' && list.length !== 1)) {
    throw new StepFunctionsError('InvalidLoggingConfiguration', 'Invalid Logging Configuration: Must specify exactly one Log Destination.');
  }
  for (const d of list) {
    const arn = (d as { cloudWatchLogsLogGroup?: { logGroupArn?: unknown } } | null)?.cloudWatchLogsLogGroup?.logGroupArn;
    // A log group ARN without the `:*` suffix, or no ARN at all, names no destination AWS can find.
    if (typeof arn !== 'string' || !LOG_GROUP_ARN.test(arn)) {
      throw new StepFunctionsError('InvalidLoggingConfiguration', 'Invalid Logging Configuration: Log Destination not found.');
    }
  }
  const kept: LoggingConfiguration = { level: level as LoggingConfiguration['level'], includeExecutionData: include === true };
  if (destinations !== undefined && destinations !== null) {
    kept.destinations = list.map((d) => ({ cloudWatchLogsLogGroup: { logGroupArn: (d as { cloudWatchLogsLogGroup: { logGroupArn: string } }).cloudWatchLogsLogGroup.logGroupArn } }));
  }
  return JSON.stringify(kept);
}

export function checkTracingConfiguration(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw new StepFunctionsError('ValidationException', "Member 'tracingConfiguration' must be a structure");
  const enabled = (value as Record<string, unknown>)['enabled'];
  if (enabled !== undefined && enabled !== null && typeof enabled !== 'boolean') {
    throw new StepFunctionsError('InvalidTracingConfiguration', "Invalid Tracing Configuration: 'enabled' must be a boolean");
  }
  return JSON.stringify({ enabled: enabled === true });
}

/** What Describe* answers: AWS's defaults (level OFF, no execution data, tracing off) when none was set. */
export function loggingShape(stored: string | undefined): LoggingConfiguration {
  if (stored === undefined) return { level: 'OFF', includeExecutionData: false };
  const c = JSON.parse(stored) as LoggingConfiguration;
  const out: LoggingConfiguration = {};
  if (c.destinations !== undefined) out.destinations = c.destinations;
  out.includeExecutionData = c.includeExecutionData ?? false;
  out.level = c.level ?? 'OFF';
  return out;
}

export function tracingShape(stored: string | undefined): TracingConfiguration {
  return stored === undefined ? { enabled: false } : (JSON.parse(stored) as TracingConfiguration);
}
