import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkPath, checkReferencePath, checkResultPath } from '../../../../src/asl/validation/paths.js';

describe('path syntax', () => {
  for (const path of ['$', '$$', '$.a', '$.a.b[0]', "$['a b'].c", '$$.Execution.Input', '$myVar', '$myVar.field[2]', '$.a[-1]']) {
    it(`accepts the reference path ${path}`, () => assert.deepEqual(checkReferencePath(path), { ok: true }));
  }
  for (const path of ['$.a[*]', '$..a', '$.a[?(@.b > 1)]', '$.a[1:3]', '$.a[0,1]', '$.*', "$['a','b']", '$.a.length()']) {
    it(`accepts the general path ${path}`, () => assert.deepEqual(checkPath(path), { ok: true }));
    it(`refuses ${path} where one node must be addressed`, () => {
      assert.deepEqual(checkReferencePath(path), { ok: false, reason: 'a reference path may contain only names and single indexes' });
    });
  }
  for (const path of ['a.b', '', 'result']) {
    it(`refuses ${JSON.stringify(path)} with AWS's wording for a missing '$'`, () => {
      assert.deepEqual(checkPath(path), { ok: false, reason: "Path didn't start with '$'" });
    });
  }
  for (const path of ['$.a[', '$.a.', '$.a[]', '$ .a', '$.my key']) {
    it(`refuses the malformed path ${JSON.stringify(path)} with the compiler's reason`, () => {
      const result = checkPath(path);
      assert.equal(result.ok, false);
      assert.ok(result.reason && result.reason.length > 0);
    });
  }
  it('accepts a ResultPath into the state input only', () => {
    assert.deepEqual(checkResultPath('$.result.value'), { ok: true });
    assert.deepEqual(checkResultPath('$'), { ok: true });
    assert.equal(checkResultPath('$$.Execution').ok, false);
    assert.equal(checkResultPath('$var.x').ok, false);
    assert.equal(checkResultPath('$.a[*]').ok, false);
  });
});
