/**
 * The error catalogue is the one place error names are spelled: no dotted error name (`States.`,
 * `Local.`, `Pipeline.`, `SageMaker.`, `S3.`, `Lambda.`) appears as a string anywhere else in src,
 * and no task error (StatesError, runtimeError) is raised with a literal name. Names of AWS's API
 * errors are checked by the compiler instead: the error classes take the catalogue's unions.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { catalogueNames, s3TaskError, sageMakerTaskError, STATES_ERRORS } from '../../../src/core/error-catalogue.js';
import { packageFile } from '../../../src/core/package-root.js';
import { INTRINSICS } from '../../../src/asl/validation/payload-template.js';

const SRC = packageFile('src');
const CATALOGUE = join(SRC, 'core', 'error-catalogue.ts');
const DOTTED = /^(States|Local|Pipeline|SageMaker|S3|Lambda)\.[A-Za-z0-9]+$/;

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Each offending spot as "file:line: text". */
function offences(): string[] {
  const found: string[] = [];
  for (const file of sources(SRC)) {
    if (file === CATALOGUE) continue;
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    const at = (n: ts.Node) => `${relative(SRC, file)}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
    const visit = (n: ts.Node): void => {
      if ((ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) && DOTTED.test(n.text) && !INTRINSICS.has(n.text)) {
        found.push(`${at(n)}: the error name '${n.text}' is spelled here; refer to its entry in core/error-catalogue.ts`);
      }
      const callee = ts.isNewExpression(n) || ts.isCallExpression(n) ? n.expression.getText(sf) : undefined;
      if (callee === 'StatesError' || callee === 'runtimeError') {
        const first = (n as ts.CallExpression | ts.NewExpression).arguments?.[0];
        if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first) || ts.isTemplateExpression(first))) {
          found.push(`${at(n)}: ${callee} raised with the literal name ${first.getText(sf)}; refer to the catalogue`);
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return found;
}

test('no error name is spelled outside the catalogue', () => {
  assert.deepEqual(offences(), []);
});

test("the catalogue names AWS's predefined errors and how Step Functions names SageMaker's and S3's", () => {
  const names = catalogueNames();
  for (const n of ['States.ALL', 'States.Runtime', 'States.TaskFailed', 'States.Timeout', 'Local.ProcessEnded', 'Pipeline.ModelRejected', 'ExecutionDoesNotExist', 'ResourceInUse', 'NoSuchKey', 'ModelError']) {
    assert.ok(names.has(n), n);
  }
  assert.equal(STATES_ERRORS.Runtime, 'States.Runtime');
  assert.equal(sageMakerTaskError('ResourceInUseException'), 'SageMaker.ResourceInUseException');
  assert.equal(s3TaskError('NoSuchKey'), 'S3.NoSuchKeyException');
  assert.equal(s3TaskError('AccessDenied'), 'S3.S3Exception', 'a code the Java SDK has no class for');
  for (const n of names) assert.ok(/^[A-Z][A-Za-z0-9]*(\.[A-Z][A-Za-z0-9]*)?$/.test(n), `${n} is spelled as AWS spells names`);
});
