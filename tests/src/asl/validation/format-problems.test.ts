import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatProblems, validateDefinition } from '../../../../src/asl/validation/index.js';

describe('InvalidDefinition message', () => {
  it("joins problems the way AWS's CreateStateMachine reports them", () => {
    const problems = validateDefinition({ StartAt: 'pass1', States: { pass1: { Type: 'Pass', Next: 'pass3' }, pass2: { Type: 'Pass', End: true } } });
    assert.equal(
      formatProblems(problems),
      "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at /States/pass1/Next, " +
        "MISSING_TRANSITION_TARGET: State \"pass2\" is not reachable. at /States/pass2'",
    );
  });
  it('names the state and the field of a schema problem', () => {
    const problems = validateDefinition({ StartAt: 'A', States: { A: { Type: 'Pass', Foo: 1, End: true } } });
    assert.equal(formatProblems(problems), "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Field 'Foo' is not supported at /States/A'");
  });
  it('prints a problem without a location as "at null"', () => {
    assert.equal(
      formatProblems([{ code: 'MISSING_END_STATE', location: '', message: 'Workflow has no terminal state' }]),
      "Invalid State Machine Definition: 'MISSING_END_STATE: Workflow has no terminal state at null'",
    );
  });
});
