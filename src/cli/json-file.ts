import { jsonSyntaxError, type Json } from '../core/json.js';
import { UserError } from '../core/errors.js';
import { readUserFile } from '../core/user-file.js';

/**
 * Reads a JSON file (or stdin for "-") of at most `maxBytes` through the one user-file reader,
 * with a one-line error naming the file, line and column.
 */
export async function readJsonFile(path: string, what: string, maxBytes: number): Promise<Json> {
  const bytes = await readUserFile(path, { what, maxBytes, stdin: process.stdin });
  return parseJsonText(bytes.toString('utf8'), path === '-' ? '<stdin>' : path, what);
}

export function parseJsonText(text: string, name: string, what: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (e) {
    const { where, reason } = jsonSyntaxError(text, e);
    throw new UserError(`${name}: the ${what} is not valid JSON${where}: ${reason}`);
  }
}
