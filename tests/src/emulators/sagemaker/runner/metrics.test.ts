import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MetricCollector, parseMetricValue } from '../../../../../src/emulators/sagemaker/runner/metrics.js';

test('the last numeric match of each metric is kept, in MetricDefinitions order, and unseen metrics are left out', () => {
  let clock = 1000;
  const m = new MetricCollector(
    [
      { Name: 'validation:error', Regex: 'Validation_error=(.*?);' },
      { Name: 'train:error', Regex: 'Train_error=(.*?);' },
      { Name: 'never', Regex: 'nope=(\\d+)' },
    ],
    () => clock++,
  );
  m.scan('[0] Train_error=0.40; Validation_error=0.5;');
  m.scan('[1] Train_error=0.138318; Validation_error=nan;');
  m.scan('[2] Train_error=abc;');
  assert.deepEqual(m.final(), [
    { MetricName: 'validation:error', Value: 0.5, Timestamp: 1000 },
    { MetricName: 'train:error', Value: 0.138318, Timestamp: 1002 },
  ]);
});

test('Python named groups work and a regex that cannot be compiled is skipped', () => {
  const m = new MetricCollector([
    { Name: 'loss', Regex: 'loss: (?P<value>[0-9.e-]+)' },
    { Name: 'broken', Regex: '(unclosed' },
    { Name: 'whole', Regex: '\\d+\\.\\d+' },
  ]);
  m.scan('epoch 3 loss: 1e-05 took 2.50s');
  assert.deepEqual(
    m.final().map((d) => [d.MetricName, d.Value]),
    [
      ['loss', 0.00001],
      ['whole', 2.5],
    ],
  );
});

test('metric values parse as Python float() does, without nan and infinity', () => {
  assert.equal(parseMetricValue(' 3.25 '), 3.25);
  assert.equal(parseMetricValue('.5'), 0.5);
  assert.equal(parseMetricValue('-2.'), -2);
  assert.equal(parseMetricValue('1E3'), 1000);
  assert.equal(parseMetricValue('nan'), undefined);
  assert.equal(parseMetricValue('inf'), undefined);
  assert.equal(parseMetricValue('0x10'), undefined);
  assert.equal(parseMetricValue(''), undefined);
});
