/**
 * The `mlops-sfn` command as the package ships it (package.json `bin`: the bundle in dist/cli/),
 * so the tests that start the command run what a user installs.
 */
import { readFileSync } from 'node:fs';
import { packageFile } from '../../src/core/package-root.js';

const pkg = JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { bin: Record<string, string> };

export const CLI = packageFile(pkg.bin['mlops-sfn']!);
