import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { Store } from '../../store/index.js';
import { decideApproval } from '../../engine/approval-decision.js';
import { addCloudOptions, CLOUD_HELP, wantsCloud, type CloudOptions } from '../../cloud/cloud-options.js';

interface DecideOptions {
  comment?: string;
  approver?: string;
}

type CloudDecideOptions = DecideOptions & CloudOptions & { stack?: string };

/**
 * `mlops-sfn approve|reject <execution>`: decides a manual approval that a local `run` is waiting
 * for (the run may be in another terminal; they share the home's database). With `--cloud` it decides
 * the one a deployed execution is waiting for, found in that execution's history (src/cloud/).
 */
export function registerApprovalCommands(program: Command, getHome: () => string): void {
  for (const [name, status] of [
    ['approve', 'Approved'],
    ['reject', 'Rejected'],
  ] as const) {
    const cmd = program
      .command(name)
      .description(
        `${name === 'approve' ? 'Approve' : 'Reject'} the model of a pipeline execution waiting for a manual approval (local; with --cloud, in the deployed stack)`,
      )
      .argument('<execution>', 'the execution name (shown by `run` while it waits), or with --cloud its name or ARN')
      .option('--comment <text>', 'why; recorded with the decision')
      .option('--approver <name>', 'who decides (default: your user name)');
    addCloudOptions(cmd)
      .addHelpText(
        'after',
        `
With --cloud the pending approval is found in the execution's history (the approval task's token) and
answered with SendTaskSuccess.
${CLOUD_HELP}

Example:
  npx mlops-sfn ${name} census-census-1724940337 --cloud --model-name census --comment "checked the metrics"`,
      )
      .action(async (execution: string, opts: CloudDecideOptions) => {
        const line = wantsCloud(opts) ? await decideCloud(execution, status, opts) : decide(getHome(), execution, status, opts);
        process.stdout.write(line + '\n');
      });
  }
}

function defaultApprover(opts: DecideOptions): string {
  return opts.approver ?? (process.env['USER'] || userInfo().username || 'unknown');
}

/** The `--cloud` path: the deployed execution's pending approval, answered through the Step Functions API. */
export async function decideCloud(
  execution: string,
  status: 'Approved' | 'Rejected',
  opts: CloudDecideOptions,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<string> {
  const { openCloudSession } = await import('../../cloud/cloud-session.js');
  const { decideInCloud } = await import('../../cloud/cloud-approval.js');
  const session = await openCloudSession(opts, env);
  try {
    return await decideInCloud(session, execution, status, { approver: defaultApprover(opts), ...(opts.comment !== undefined ? { comment: opts.comment } : {}) });
  } finally {
    session.close();
  }
}

export function decide(home: string, execution: string, status: 'Approved' | 'Rejected', opts: DecideOptions): string {
  const store = Store.open(home);
  try {
    return decideApproval(store, home, execution, status, defaultApprover(opts), opts.comment);
  } finally {
    store.close();
  }
}
