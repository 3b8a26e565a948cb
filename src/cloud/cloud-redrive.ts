/**
 * `mlops-sfn redrive --cloud`: RedriveExecution through the AWS SDK, for the deployed stack's
 * executions (or any Step Functions endpoint, e.g. a running `serve` with --endpoint-url).
 */
import { RedriveExecutionCommand } from '@aws-sdk/client-sfn';
import { UserError } from '../core/errors.js';
import { awsErrorName } from './cloud-errors.js';
import { executionArnFor, notFound } from './cloud-executions.js';
import type { CloudOptions } from './cloud-options.js';
import { openCloudSession } from './cloud-session.js';

export async function cloudRedrive(nameOrArn: string, opts: CloudOptions, env: Readonly<Record<string, string | undefined>> = process.env): Promise<{ executionArn: string; redriveDate: Date }> {
  const session = await openCloudSession(opts, env);
  try {
    const executionArn = nameOrArn.startsWith('arn:') ? nameOrArn : executionArnFor(await session.stateMachineArn(), nameOrArn);
    const out = await session.call('states:RedriveExecution', () =>
      session.sfn.send(new RedriveExecutionCommand({ executionArn })).catch((e: unknown) => {
        if (awsErrorName(e) === 'ExecutionNotRedrivable') {
          throw new UserError(`cannot redrive ${nameOrArn}: ${(e as Error).message}`, 'NOT_REDRIVABLE');
        }
        throw notFound(e, nameOrArn, executionArn) ?? e;
      }),
    );
    return { executionArn, redriveDate: out.redriveDate ?? new Date() };
  } finally {
    session.close();
  }
}
