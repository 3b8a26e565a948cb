import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveCommand } from '../../../../../src/emulators/sagemaker/runner/container-command.js';
import { JobFailure } from '../../../../../src/emulators/sagemaker/runner/job-failure.js';
import { builtinProfiles, type RuntimeProfile } from '../../../../../src/emulators/sagemaker/runtimes/index.js';
const BUILTIN_PROFILES = builtinProfiles();

const sklearn = BUILTIN_PROFILES[0];
const IMAGE = 'x.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3';
const TOOLKIT = '/opt/mlops-sfn/runner/train_toolkit.py';

test('ContainerEntrypoint and ContainerArguments follow Docker: entrypoint + arguments, python mapped to the runtime', () => {
  assert.deepEqual(resolveCommand('processing', { ContainerEntrypoint: ['python3', '/opt/ml/processing/code/p.py'], ContainerArguments: ['--a', '1'] }, sklearn, IMAGE, TOOLKIT), {
    argv: ['/usr/bin/python3', '/opt/ml/processing/code/p.py', '--a', '1'],
    scriptMode: false,
  });
  assert.deepEqual(resolveCommand('processing', { ContainerEntrypoint: ['python', 'x.py'] }, sklearn, IMAGE, TOOLKIT).argv, ['/usr/bin/python3', 'x.py']);
  assert.deepEqual(resolveCommand('processing', { ContainerEntrypoint: ['/bin/sh', '-c', 'echo'] }, sklearn, IMAGE, TOOLKIT).argv, ['/bin/sh', '-c', 'echo']);
  // No ENTRYPOINT in the image: the arguments are the command.
  assert.deepEqual(resolveCommand('processing', { ContainerArguments: ['python3', 'y.py'] }, sklearn, IMAGE, TOOLKIT).argv, ['/usr/bin/python3', 'y.py']);
});

test('a training job with no entrypoint runs `train`: the toolkit shim on a framework image, the image ENTRYPOINT otherwise', () => {
  assert.deepEqual(resolveCommand('training', {}, sklearn, IMAGE, TOOLKIT), { argv: ['/usr/bin/python3', TOOLKIT], scriptMode: true });
  const custom: RuntimeProfile = { ...sklearn, name: 'custom', entrypoint: ['/usr/local/bin/serve-or-train'], trainingToolkit: false };
  assert.deepEqual(resolveCommand('training', {}, custom, 'my/image', TOOLKIT), { argv: ['/usr/local/bin/serve-or-train', 'train'], scriptMode: false });
  assert.deepEqual(resolveCommand('training', { ContainerEntrypoint: ['python3', 't.py'] }, sklearn, IMAGE, TOOLKIT).scriptMode, false);
});

test('a command that is not a list of strings, or no command at all, is a ClientError', () => {
  assert.throws(() => resolveCommand('processing', { ContainerEntrypoint: 'python3 x.py' }, sklearn, IMAGE, TOOLKIT), (e: unknown) => e instanceof JobFailure && /must be a list of strings/.test(e.message));
  assert.throws(() => resolveCommand('processing', {}, sklearn, IMAGE, TOOLKIT), /has no ENTRYPOINT or CMD/);
});
