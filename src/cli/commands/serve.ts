/**
 * `mlops-sfn serve [pipeline]`: keeps the local home running like a deployed stack — the local API
 * (Step Functions, Lambda, SageMaker and its runtime, in AWS's protocols) on 127.0.0.1, the
 * InService endpoints, and, with a pipeline, its schedule firing the trigger Lambda as EventBridge
 * Scheduler does. Resumes the home's executions whose process ended. Stops on Ctrl-C / SIGTERM
 * (STANDARD executions stay RUNNING, for the next serve or `resume`).
 */
import type { Command } from 'commander';
import { addTimezoneOption } from '../timezone-option.js';
import { UserError } from '../../core/errors.js';
// settings.ts is plain validation (no CDK): the schedule flags mean what they mean for `deploy`.
import { DEFAULT_SCHEDULE, DEFAULT_TIMEZONE, seedFarmerParameterVariable } from '../../infra/settings.js';
import { DEFAULT_SERVE_PORT, startLocalServer } from '../../serve/local-server.js';
import { nextFireTimes, parseAwsCron, validateTimeZone } from '../../schedule/index.js';

interface ServeOptions {
  port: string;
  host: string;
  schedule?: string | false;
  timezone?: string;
  rows?: string;
}

export function registerServeCommand(program: Command, getHome: () => string): void {
  const cmd = program
    .command('serve')
    .description('Run the local API (Step Functions, Lambda, SageMaker runtime) and endpoints; with a pipeline, fire its schedule as EventBridge Scheduler does')
    .argument('[pipeline]', 'a pipeline folder or YAML to deploy locally and schedule')
    .option('--port <n>', 'port of the local API', String(DEFAULT_SERVE_PORT))
    .option('--host <address>', 'address to listen on (anything but loopback exposes an unauthenticated API)', '127.0.0.1')
    .option('--schedule <cron>', `the schedule, as for deploy (env ${seedFarmerParameterVariable('schedule')}, default "${DEFAULT_SCHEDULE}")`)
    .option('--no-schedule', 'deploy the pipeline but never fire it (start runs with `mlops-sfn start`)');
  addTimezoneOption(cmd, `IANA time zone of the schedule (env ${seedFarmerParameterVariable('timezone')}, default ${DEFAULT_TIMEZONE})`)
    .option('--rows <n>', "rows for the pipeline's data generator (generate_data.py)")
    .addHelpText(
      'after',
      `
AWS SDKs and the AWS CLI reach the local API with an endpoint override, e.g.
  AWS_ENDPOINT_URL=http://127.0.0.1:${DEFAULT_SERVE_PORT} aws stepfunctions list-executions --state-machine-arn ...
\`mlops-sfn invoke\` and \`mlops-sfn start\` of the same --home use it while it runs.
SFN_MOCK_CONFIG=<file> loads Step Functions Local's mock configuration: StartExecution on
<stateMachineArn>#<TestCase> answers that test case's mocked Task states from it.
Exit codes: 0 stopped by a signal, 2 bad input (pipeline, flags, port in use).`,
    )
    .action(async (pipeline: string | undefined, opts: ServeOptions) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError(`--port must be a port number (0-65535), not ${JSON.stringify(opts.port)}`);
      const rows = opts.rows === undefined ? undefined : Number(opts.rows);
      if (rows !== undefined && (!Number.isInteger(rows) || rows < 100)) throw new UserError(`--rows must be a whole number of at least 100, not ${JSON.stringify(opts.rows)}`);
      const schedule = pipeline === undefined || opts.schedule === false ? false : scheduleFrom(opts);
      const log = (line: string) => process.stderr.write(`[${new Date().toISOString()}] ${line}\n`);
      const server = await startLocalServer({
        home: getHome(),
        ...(pipeline !== undefined ? { pipeline } : {}),
        host: opts.host,
        port,
        schedule,
        ...(rows !== undefined ? { dataRows: rows } : {}),
        // Step Functions Local's variable: StartExecution on `<stateMachineArn>#<TestCase>` runs that test case.
        ...(process.env['SFN_MOCK_CONFIG'] ? { mockConfig: process.env['SFN_MOCK_CONFIG'] } : {}),
        log,
      }).catch((e: unknown) => {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') throw new UserError(`port ${port} is in use: pass --port <another> (or 0 for any free port)`);
        if (code === 'EACCES' || code === 'EADDRNOTAVAIL') throw new UserError(`cannot listen on ${opts.host}:${port}: ${(e as Error).message}`);
        throw e;
      });
      log(`local API at ${server.url} (AWS_ENDPOINT_URL=${server.url}); Ctrl-C stops`);
      if (server.deployment) log(`pipeline ${server.deployment.config.model_id}: state machine ${server.deployment.stateMachineArn}`);
      if (server.schedule && schedule) {
        const next = nextFireTimes(parseAwsCron(schedule.expression), schedule.timezone, Date.now(), 3).times;
        log(`schedule ${schedule.expression} in ${schedule.timezone}: next ${next.map((t) => new Date(t.at).toISOString()).join(', ') || '(none: the schedule has ended)'}`);
      }
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          log(`${signal}: stopping`);
          process.off('SIGINT', onInt).off('SIGTERM', onTerm);
          resolve();
        };
        const onInt = () => stop('SIGINT');
        const onTerm = () => stop('SIGTERM');
        process.on('SIGINT', onInt).on('SIGTERM', onTerm);
      });
      await server.close();
      log('stopped');
    });
}

function scheduleFrom(opts: ServeOptions): { expression: string; timezone: string } {
  const env = process.env;
  const text = (typeof opts.schedule === 'string' ? opts.schedule : undefined) ?? env[seedFarmerParameterVariable('schedule')] ?? DEFAULT_SCHEDULE;
  const timezone = validateTimeZone(opts.timezone ?? env[seedFarmerParameterVariable('timezone')] ?? DEFAULT_TIMEZONE);
  return { expression: parseAwsCron(text).expression, timezone };
}
