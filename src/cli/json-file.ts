import type { Json } from '../core/json.js';
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
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    let where = '';
    if (pos) {
      const upTo = text.slice(0, Number(pos[1]));
      const line = upTo.split('\n').length;
      const col = upTo.length - upTo.lastIndexOf('\n');
      where = ` at line ${line}, column ${col}`;
    }
    const reason = msg.replace(/ in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '');
    throw new UserError(`${name}: the ${what} is not valid JSON${where}: ${reason}`);
  }
}
