/**
 * TagResource / UntagResource / ListTagsForResource on state machines and activities, with AWS's
 * limits (50 tags a resource, keys 1-128 and values 0-256 characters). Versions, aliases and
 * executions cannot be tagged: AWS answers ResourceNotFound for them, as here.
 */
import type { Tag } from '@aws-sdk/client-sfn';
import type { Store } from '../../store/index.js';
import { resourceNotFound, StepFunctionsError, validationError } from './errors.js';
import { required } from './requests.js';

const MAX_TAGS = 50;

export function checkTags(value: unknown): { key: string; value: string }[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new StepFunctionsError('ValidationException', "Member 'tags' must be a list");
  return (value as Tag[]).map((t, i) => {
    const key = t?.key;
    const v = t?.value ?? '';
    if (typeof key !== 'string' || key.length < 1 || key.length > 128) {
      throw validationError(`tags.${i + 1}.member.key`, key, 'Member must have length between 1 and 128');
    }
    if (typeof v !== 'string' || v.length > 256) throw validationError(`tags.${i + 1}.member.value`, v, 'Member must have length less than or equal to 256');
    return { key, value: v };
  });
}

export class ResourceTags {
  constructor(private readonly store: Store) {}

  tag(resourceArn: unknown, tags: unknown): Record<string, never> {
    const arn = this.taggable(resourceArn);
    const list = checkTags(tags);
    this.putChecked(arn, list);
    return {};
  }

  /** Tags given when the resource is created (CreateStateMachine, CreateActivity). */
  putChecked(arn: string, list: readonly { key: string; value: string }[]): void {
    if (list.length === 0) return;
    const existing = new Set(this.store.tags.list(arn).map((t) => t.key));
    const added = new Set(list.map((t) => t.key).filter((k) => !existing.has(k)));
    if (existing.size + added.size > MAX_TAGS) {
      throw new StepFunctionsError('TooManyTags', `Too many tags: '${arn}' would have ${existing.size + added.size} tags; the limit is ${MAX_TAGS}.`);
    }
    this.store.tags.put(arn, list);
  }

  untag(resourceArn: unknown, keys: unknown): Record<string, never> {
    const arn = this.taggable(resourceArn);
    if (!Array.isArray(keys)) throw validationError('tagKeys', undefined, 'Member must not be null');
    this.store.tags.remove(arn, keys.map(String));
    return {};
  }

  list(resourceArn: unknown): { tags: Tag[] } {
    const arn = this.taggable(resourceArn);
    return { tags: this.store.tags.list(arn) };
  }

  private taggable(resourceArn: unknown): string {
    const arn = required(resourceArn, 'resourceArn');
    if (this.store.stateMachines.get(arn) || this.store.activities.get(arn)) return arn;
    throw resourceNotFound(arn);
  }
}
