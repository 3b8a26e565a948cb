/**
 * Manual approval, locally: the approval Lambda's request is stored in the home's database, where
 * `mlops-sfn approve|reject` (from any terminal) records the decision; the process that runs the
 * execution hands it to the waiting task (SendTaskSuccess with the decision, as a person answering
 * the SNS message would in AWS).
 *
 * Time: a person's wait is real time. Under a virtual clock the request holds the clock, so virtual
 * time stands still while the person thinks; when the pipeline's approval timeout has passed in real
 * time, the hold is released and the clock reaches the task's own TimeoutSeconds, so the execution
 * sees States.Timeout (and rejects the model) exactly as on AWS. Under a real clock the task's timer
 * fires by itself at the same moment. Either way the stored request is closed as TimedOut, so a late
 * `approve` says so instead of deciding nothing.
 */
import type { Clock } from '../core/clock.js';
import type { JsonObject } from '../core/json.js';
import { setLongTimeout, type LongTimer } from '../core/long-timer.js';
import { approvalDecision, type ApprovalStore, type PendingApproval } from '../lambda/index.js';
import type { LocalServices } from './local-services.js';

const POLL_MS = 250;

interface Waiting {
  release: () => void;
  timer?: LongTimer;
}

export class ManualApprovals implements ApprovalStore {
  private readonly waiting = new Map<string, Waiting>();
  private readonly poll: NodeJS.Timeout;

  constructor(
    private readonly services: LocalServices,
    private readonly clock: Clock,
    private readonly log: (line: string) => void,
  ) {
    // Not unref'd: while an execution waits for a person, this timer is what keeps the process alive.
    this.poll = setInterval(() => this.deliver(), POLL_MS);
  }

  async put(p: PendingApproval): Promise<void> {
    this.services.store.approvals.request(p.executionName, p.executionArn, p.taskToken, p as unknown as JsonObject);
    this.forget(p.executionName);
    const waiting: Waiting = { release: this.clock.hold() };
    if (typeof p.timeoutSeconds === 'number' && p.timeoutSeconds > 0) this.armTimeout(p.executionName, waiting, p.timeoutSeconds * 1000);
    this.waiting.set(p.executionName, waiting);
    const metrics = p.metrics ? Object.entries(p.metrics).map(([k, v]) => `${k}=${v}`).join(' ') : '';
    this.log(`waiting for a manual approval of ${p.executionName}${metrics ? ` (${metrics})` : ''}`);
    this.log(`  decide from any terminal: npx mlops-sfn --home ${this.services.home} approve ${p.executionName} [--comment "..."]  (or reject)`);
    if (p.expiresAt) this.log(`  without a decision by ${p.expiresAt} the model is rejected`);
  }

  /** Executions still waiting for a person, by name. */
  get waitingFor(): string[] {
    return [...this.waiting.keys()];
  }

  private armTimeout(executionName: string, waiting: Waiting, ms: number): void {
    waiting.timer = setLongTimeout(() => {
      if (this.services.store.approvals.expire(executionName)) {
        this.log(`nobody decided on ${executionName} in time: the model is rejected`);
        // The task's TimeoutSeconds does the rest: releasing the hold lets virtual time reach it.
        this.forget(executionName);
      }
    }, ms);
  }

  private forget(executionName: string): void {
    const w = this.waiting.get(executionName);
    if (!w) return;
    w.timer?.clear();
    this.waiting.delete(executionName);
    w.release();
  }

  private deliver(): void {
    if (this.waiting.size === 0) return;
    for (const row of this.services.store.approvals.undelivered()) {
      if (!this.waiting.has(row.executionName) || row.status === 'TimedOut') continue;
      const decision = approvalDecision(row.status as 'Approved' | 'Rejected', row.approver ?? 'unknown', row.comment ?? null, new Date(row.decidedAt ?? Date.now()));
      try {
        this.services.tasks.tokens.sendTaskSuccess(row.taskToken, decision);
        this.log(`${row.status.toLowerCase()} by ${decision.approver}${row.comment ? `: ${row.comment}` : ''}`);
      } catch (e) {
        this.log(`the decision for ${row.executionName} came too late: ${(e as Error).message}`);
      }
      this.services.store.approvals.markDelivered(row.executionName);
      this.forget(row.executionName);
    }
  }

  stop(): void {
    clearInterval(this.poll);
    for (const name of [...this.waiting.keys()]) this.forget(name);
  }
}
