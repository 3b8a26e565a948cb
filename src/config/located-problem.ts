import { formatFieldPath, type PathSegment } from './field-path.js';
import type { ConfigProblem, Severity } from './problems.js';
import type { SourceMap } from './yaml-source.js';

export interface LocateOptions {
  /** Point at the field's key (unknown or misplaced fields) or its value (wrong values, the default). */
  readonly prefer?: 'key' | 'value';
  readonly severity?: Severity;
  /** Where in the file to point, when it is not the field the problem names. */
  readonly at?: readonly PathSegment[];
}

/** A problem with the field at `path`, at that field's line and column in the file. */
export function locatedProblem(sourceMap: SourceMap, file: string, path: readonly PathSegment[], message: string, o: LocateOptions = {}): ConfigProblem {
  const pos = sourceMap.locate(o.at ?? path, o.prefer ?? 'value');
  return { file, line: pos.line, column: pos.column, path: formatFieldPath(path), message, severity: o.severity ?? 'error' };
}
