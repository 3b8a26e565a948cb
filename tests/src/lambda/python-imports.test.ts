import assert from 'node:assert/strict';
import { test } from 'node:test';
import { importCandidates, pythonImports, reachableModules } from '../../../src/lambda/python-imports.js';

test('import statements are found anywhere in a script, but not inside strings', () => {
  const src = [
    'import os, sys as system',
    'import helpers.metrics as m',
    'from utils import (load,',
    '    save)',
    'from . import sibling',
    'from ..pkg.mod import thing',
    'def f():',
    '    import lazy_mod',
    'try:',
    '    from fast import x',
    'except ImportError:',
    '    pass',
    'DOC = """',
    'import not_an_import',
    '"""',
    "s = 'from nowhere import nothing'",
  ].join('\n');
  assert.deepEqual(pythonImports(src), [
    { level: 0, module: 'os', names: [] },
    { level: 0, module: 'sys', names: [] },
    { level: 0, module: 'helpers.metrics', names: [] },
    { level: 0, module: 'lazy_mod', names: [] },
    { level: 0, module: 'utils', names: ['load', 'save'] },
    { level: 1, module: '', names: ['sibling'] },
    { level: 2, module: 'pkg.mod', names: ['thing'] },
    { level: 0, module: 'fast', names: ['x'] },
  ]);
});

test('an import may load each package on its way and the module, or a submodule named after from ... import', () => {
  assert.deepEqual(importCandidates('evaluation.py', { level: 0, module: 'helpers.metrics', names: [] }, ''), [
    'helpers.py',
    'helpers/__init__.py',
    'helpers/metrics.py',
    'helpers/metrics/__init__.py',
  ]);
  assert.deepEqual(importCandidates('pkg/a.py', { level: 1, module: '', names: ['b'] }, ''), ['pkg/b.py', 'pkg/b/__init__.py', 'pkg/__init__.py']);
  assert.deepEqual(importCandidates('src/run.py', { level: 0, module: 'util', names: [] }, 'src'), ['src/util.py', 'src/util/__init__.py']);
});

test('the reachable modules are the entry point and what it imports, transitively, among the files that exist', async () => {
  const files: Record<string, string> = {
    'evaluation.py': 'import json\nfrom helpers import metrics\nimport common\n',
    'helpers/__init__.py': '',
    'helpers/metrics.py': 'from .format import pretty\n',
    'helpers/format.py': 'import common\n',
    'common.py': 'import numpy\n',
    'preprocessing.py': 'import common\n',
    'train.py': 'import common\n',
  };
  const read = async (p: string) => files[p];
  const found = await reachableModules('evaluation.py', read);
  assert.equal(found[0], 'evaluation.py');
  assert.deepEqual([...found].sort(), ['common.py', 'evaluation.py', 'helpers/__init__.py', 'helpers/format.py', 'helpers/metrics.py']);
  assert.deepEqual(await reachableModules('train.py', read), ['train.py', 'common.py']);
  // An import cycle ends.
  files['common.py'] = 'import train\n';
  assert.deepEqual(await reachableModules('train.py', read), ['train.py', 'common.py']);
});
