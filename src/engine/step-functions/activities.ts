/**
 * The activity actions: Create/Describe/List/DeleteActivity, and GetActivityTask, the long poll of a
 * worker: it answers with the oldest queued task of the activity (its token and input), or, after up
 * to 60 seconds with nothing queued, with no task at all, as AWS does.
 */
import type {
  ActivityListItem,
  CreateActivityInput,
  CreateActivityOutput,
  DescribeActivityInput,
  DescribeActivityOutput,
  GetActivityTaskInput,
  GetActivityTaskOutput,
  ListActivitiesInput,
  ListActivitiesOutput,
} from '@aws-sdk/client-sfn';
import { formatArn, type AwsLocation } from '../../core/arn.js';
import type { ActivityIntegration } from '../../integrations/activity.js';
import type { Store } from '../../store/index.js';
import { activityDoesNotExist, validationError } from './errors.js';
import { checkLength, checkName, decodeToken, encodeToken, optionalString, pageSize, parseStatesArn, required } from './requests.js';
import type { ResourceTags } from './tags.js';
import { checkTags } from './tags.js';

/** AWS holds a GetActivityTask request open this long when no task is queued. */
export const ACTIVITY_POLL_MS = 60_000;

export class Activities {
  constructor(
    private readonly store: Store,
    private readonly location: AwsLocation,
    private readonly tags: ResourceTags,
    private readonly integration: ActivityIntegration | undefined,
    private readonly opts: { pollMs: number; longPollMs?: number },
  ) {}

  /** Idempotent: creating an activity that exists answers with it. */
  create(input: CreateActivityInput): CreateActivityOutput {
    const name = required(input.name, 'name');
    checkName(name);
    const tags = checkTags(input.tags);
    const arn = formatArn(this.location, 'states', `activity:${name}`);
    this.store.transaction(() => {
      if (this.store.activities.insert(arn, name)) this.tags.putChecked(arn, tags);
    });
    return { activityArn: arn, creationDate: new Date(this.store.activities.get(arn)!.createdAt) };
  }

  describe(input: DescribeActivityInput): DescribeActivityOutput {
    const a = this.activity(input.activityArn);
    return { activityArn: a.arn, name: a.name, creationDate: new Date(a.createdAt), encryptionConfiguration: { type: 'AWS_OWNED_KEY' } };
  }

  list(input: ListActivitiesInput): ListActivitiesOutput {
    const limit = pageSize(input.maxResults);
    const from = decodeToken<number>(input.nextToken, 'activities') ?? 0;
    const all = this.store.activities.list();
    const activities: ActivityListItem[] = all.slice(from, from + limit).map((a) => ({ activityArn: a.arn, name: a.name, creationDate: new Date(a.createdAt) }));
    const out: ListActivitiesOutput = { activities };
    if (from + limit < all.length) out.nextToken = encodeToken('activities', from + limit);
    return out;
  }

  /** A missing activity is no error, as on AWS. */
  delete(activityArn: unknown): Record<string, never> {
    const arn = required(activityArn, 'activityArn');
    parseStatesArn(arn, 'activity');
    this.store.transaction(() => {
      this.store.activities.delete(arn);
      this.store.tags.removeAll(arn);
    });
    return {};
  }

  async getTask(input: GetActivityTaskInput, signal?: AbortSignal): Promise<GetActivityTaskOutput> {
    const arn = required(input.activityArn, 'activityArn');
    const workerName = optionalString(input.workerName, 'workerName');
    checkLength(workerName, 'workerName', 80);
    this.activity(arn);
    const deadline = Date.now() + (this.opts.longPollMs ?? ACTIVITY_POLL_MS);
    for (;;) {
      const row = this.store.activities.take(arn, workerName);
      if (row) {
        this.integration?.taken(row);
        return { taskToken: row.token, input: row.input };
      }
      const left = deadline - Date.now();
      if (left <= 0 || signal?.aborted) return {};
      await this.nextChance(arn, Math.min(left, this.opts.pollMs), signal);
      // Deleted while we waited: AWS's answer for a missing activity.
      if (!this.store.activities.get(arn)) throw activityDoesNotExist(arn);
    }
  }

  /** Resolves when a task is queued for the activity in this process, after `ms`, or on abort. */
  private nextChance(activityArn: string, ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      const stop = () => {
        clearTimeout(timer);
        off?.();
        signal?.removeEventListener('abort', stop);
        resolve();
      };
      const timer = setTimeout(stop, ms);
      const off = this.integration?.onScheduled((a) => {
        if (a === activityArn) stop();
      });
      signal?.addEventListener('abort', stop, { once: true });
    });
  }

  private activity(activityArn: unknown) {
    const arn = required(activityArn, 'activityArn');
    parseStatesArn(arn, 'activity');
    if (arn.length > 256) throw validationError('activityArn', arn, 'Member must have length less than or equal to 256');
    const a = this.store.activities.get(arn);
    if (!a) throw activityDoesNotExist(arn);
    return a;
  }
}
