/**
 * The runtime for an image, the way every part asks for it: the caller's own profiles (tests,
 * embedders), then `<home>/runtimes.json`, then the built-in table. Throws RuntimeUnavailable
 * ('ClientError') for an image nothing maps, or for a malformed runtimes.json.
 */
import { loadUserProfiles, selectProfile, type RuntimeProfile } from './runtime-profiles.js';

export async function resolveRuntime(image: string, home: string, extra: readonly RuntimeProfile[] = []): Promise<RuntimeProfile> {
  return selectProfile(image, await loadUserProfiles(home), home, extra);
}
