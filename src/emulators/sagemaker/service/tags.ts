/**
 * AddTags, ListTags and DeleteTags: a resource's tags, addressed by its ARN. A key added again
 * replaces its value (SageMaker keeps keys unique per resource); at most 50 tags per resource.
 */
import { isJsonObject, type Json, type JsonObject } from '../../../core/json.js';
import type { ResourceKind } from './arns.js';
import type { ServiceCore } from './core.js';
import { validationError } from './errors.js';

const MAX_TAGS = 50;
const KINDS: ResourceKind[] = ['processing-job', 'training-job', 'transform-job', 'model', 'endpoint-config', 'endpoint', 'model-package-group', 'model-package'];

interface Tag {
  Key: string;
  Value: string;
}

function tagsOf(v: unknown): Tag[] {
  return Array.isArray(v) ? v.filter(isJsonObject).map((t) => ({ Key: String(t['Key']), Value: String(t['Value'] ?? '') })) : [];
}

export class TagOperations {
  constructor(private readonly core: ServiceCore) {}

  private find(request: Json): { kind: ResourceKind; name: string; tags: Tag[] } {
    const arn = isJsonObject(request) ? request['ResourceArn'] : undefined;
    if (typeof arn !== 'string' || arn.length === 0 || arn.length > 256) {
      throw validationError("1 validation error detected: Value at 'resourceArn' failed to satisfy constraint: Member must have length less than or equal to 256");
    }
    const kind = /^arn:[a-z-]+:sagemaker:[a-z0-9-]*:\d{12}:([a-z-]+)\//.exec(arn)?.[1] as ResourceKind | undefined;
    const row = kind && KINDS.includes(kind) ? this.core.store.resources.getByArn(kind, arn) : undefined;
    if (!kind || !row) throw validationError(`Resource ${arn} does not exist.`);
    return { kind, name: row.name, tags: tagsOf(this.core.get(kind, row.name)?.stored.Tags) };
  }

  private write(kind: ResourceKind, name: string, tags: Tag[]): void {
    this.core.updateRecord(kind, name, (stored) => ({ ...stored, Tags: tags as unknown as Json[] }));
  }

  addTags(request: Json): JsonObject {
    const { kind, name, tags } = this.find(request);
    const added = tagsOf((request as JsonObject)['Tags']);
    const merged = new Map(tags.map((t) => [t.Key, t.Value]));
    for (const t of added) {
      if (t.Key.length < 1 || t.Key.length > 128 || t.Value.length > 256) throw validationError(`Tag key "${t.Key.slice(0, 40)}" or its value is outside SageMaker's length limits (key 1-128, value 0-256).`);
      merged.set(t.Key, t.Value);
    }
    if (merged.size > MAX_TAGS) throw validationError(`A resource can have at most ${MAX_TAGS} tags.`);
    const next = [...merged].map(([Key, Value]) => ({ Key, Value }));
    this.write(kind, name, next);
    return { Tags: added as unknown as Json[] };
  }

  listTags(request: Json): JsonObject {
    return { Tags: this.find(request).tags as unknown as Json[] };
  }

  deleteTags(request: Json): JsonObject {
    const { kind, name, tags } = this.find(request);
    const keys = (request as JsonObject)['TagKeys'];
    const drop = new Set(Array.isArray(keys) ? keys.map(String) : []);
    this.write(kind, name, tags.filter((t) => !drop.has(t.Key)));
    return {};
  }
}
