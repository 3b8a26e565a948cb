import type { Json } from '../../core/json.js';
import { stepFragment, stepsToString, type Step } from './ast.js';
import { AGGREGATE_EMPTY, applyFunction, elementAt, isObject, ownMember } from './evaluate.js';
import { JSON_PROVIDER_CLASS, javaClassName, javaString } from '../../core/java-text.js';

/**
 * Jayway's exception text for a definite path that selected nothing, which AWS quotes after
 * "Invalid path '<path>' : " (recorded: "Missing property in path $['no']" when a name before the
 * last is absent, "No results for path: $['NoSuchOutputPath']" when the last one is).
 * Paths are printed from '$' whatever the root ($$ and $var are evaluated as a document).
 */
export function explainMiss(steps: readonly Step[], rootValue: Json): string {
  const noResults = `No results for path: $${stepsToString(steps)}`;
  let current = '$';
  let model: Json = rootValue;
  const last = steps.length - 1;
  for (let i = 0; i <= last; i++) {
    const s = steps[i]!;
    const leaf = i === last;
    switch (s.kind) {
      case 'property':
      case 'properties': {
        if (!isObject(model)) {
          return (
            `Expected to find an object with property ${stepFragment(s)} in path ${current} but found '${javaClassName(model)}'. ` +
            `This is not a json object according to the JsonProvider: '${JSON_PROVIDER_CLASS}'.`
          );
        }
        if (s.kind === 'properties') {
          if (!leaf) return `Multi properties can only be used as path leafs: ${current}[${s.names.map((n) => `'${n}'`).join(', ')}]`;
          return noResults;
        }
        const v = ownMember(model, s.name);
        if (v === undefined) return leaf ? noResults : `Missing property in path ${current}['${s.name}']`;
        model = v;
        current += `['${s.name}']`;
        break;
      }
      case 'index': {
        if (model === null) return `The path ${current} is null`;
        if (!Array.isArray(model)) {
          return `Filter: ${stepsToString(steps, i)} can only be applied to arrays. Current context is: ${javaString(model)}`;
        }
        const v = elementAt(model, s.index);
        if (v === undefined) return noResults;
        model = v;
        current += `[${s.index}]`;
        break;
      }
      case 'function':
        return applyFunction(s.name, model) === undefined ? AGGREGATE_EMPTY : noResults;
      default:
        return noResults;
    }
  }
  return noResults;
}
