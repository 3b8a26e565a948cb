import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lastPythonException } from '../../../src/engine/python-traceback.js';

const frame = '  File "/opt/ml/model/code/inference.py", line 12, in predict_fn\n    return model.predict(x)\n           ^^^^^^^^^^^^^^^^\n';

test('the root cause of the last exception chain is the line a user reads first', () => {
  const log = [
    'model loaded',
    'Traceback (most recent call last):',
    frame + "ValueError: could not convert string to float: 'a'",
    '',
    'The above exception was the direct cause of the following exception:',
    '',
    'Traceback (most recent call last):',
    frame + "mlops_sfn_serving.codecs.ClientError: could not convert string to float: 'a'",
    '127.0.0.1 - - "POST /invocations HTTP/1.1" 500 -',
  ].join('\n');
  assert.equal(lastPythonException(log), "ValueError: could not convert string to float: 'a'");
});

test('an earlier, unrelated traceback gives way to the last one; no traceback gives nothing', () => {
  const log = ['Traceback (most recent call last):', frame + 'KeyError: 1', 'served', 'Traceback (most recent call last):', frame + 'ZeroDivisionError: division by zero'].join('\n');
  assert.equal(lastPythonException(log), 'ZeroDivisionError: division by zero');
  assert.equal(lastPythonException('all good\n'), undefined);
});
