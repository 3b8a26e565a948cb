import type { Json, JsonObject } from '../../core/json.js';
import { intrinsicFailure, objectArg, preview, stringArg } from './intrinsic-args.js';
import type { IntrinsicSpec } from './intrinsic-spec.js';
import { javaJson } from '../../core/java-text.js';
import { MAX_JSON_DEPTH, setOwn, throwTooDeep } from './json-values.js';

const BLANK = /^\s*$/;

const stringToJson: IntrinsicSpec = {
  name: 'States.StringToJson',
  minArgs: 1,
  maxArgs: 1,
  apply(args) {
    const s = stringArg(this.name, args, 0);
    // AWS answers null for an empty or blank string rather than failing.
    if (BLANK.test(s)) return null;
    let parsed: Json;
    try {
      parsed = JSON.parse(s) as Json;
    } catch {
      throw intrinsicFailure(this.name, `the string ${preview(s)} is not valid JSON.`);
    }
    return parsed === 0 ? 0 : parsed;
  },
};

const jsonToString: IntrinsicSpec = {
  name: 'States.JsonToString',
  minArgs: 1,
  maxArgs: 1,
  apply: (args) => javaJson(args[0]!, MAX_JSON_DEPTH, throwTooDeep),
};

const jsonMerge: IntrinsicSpec = {
  name: 'States.JsonMerge',
  minArgs: 3,
  maxArgs: 3,
  apply(args) {
    const left = objectArg(this.name, args, 0);
    const right = objectArg(this.name, args, 1);
    const deep = args[2];
    if (typeof deep !== 'boolean') {
      throw intrinsicFailure(this.name, `the third argument must be the boolean false, but was ${preview(deep!)}.`);
    }
    if (deep) throw intrinsicFailure(this.name, 'deep merging is not supported; the third argument must be false.');
    // Shallow: keys of the second object replace those of the first, nested objects are not merged.
    const out: JsonObject = {};
    for (const k of Object.keys(left)) setOwn(out, k, left[k]!);
    for (const k of Object.keys(right)) setOwn(out, k, right[k]!);
    return out;
  },
};

export const JSON_INTRINSICS: readonly IntrinsicSpec[] = [stringToJson, jsonToString, jsonMerge];
