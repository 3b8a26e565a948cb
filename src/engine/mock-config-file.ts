/**
 * Reads Step Functions Local's mock configuration file (`SFN_MOCK_CONFIG` for `serve`,
 * `--mock-config` for `exec`) through the one user-file reader, and checks it whole: a mistake is
 * one line naming the file, the place in the JSON and what to do, before anything runs.
 */
import { jsonSyntaxError, type Json } from '../core/json.js';
import { readUserFile } from '../core/user-file.js';
import { MockConfigError, parseMockConfig, type MockConfig } from '../integrations/mock-config.js';

/** Mock files are hand-written test data; 16 MiB is far past any real one. */
const MAX_MOCK_CONFIG_BYTES = 16 * 1024 * 1024;

export async function readMockConfig(path: string): Promise<MockConfig> {
  const text = (await readUserFile(path, { what: 'mock configuration file', maxBytes: MAX_MOCK_CONFIG_BYTES })).toString('utf8');
  let value: Json;
  try {
    value = JSON.parse(text) as Json;
  } catch (e) {
    const { where, reason } = jsonSyntaxError(text, e);
    throw new MockConfigError(`${path}: the mock configuration is not valid JSON${where}: ${reason}`);
  }
  return parseMockConfig(value, path);
}
