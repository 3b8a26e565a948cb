import assert from 'node:assert/strict';
import { test } from 'node:test';
import { guessContentType } from '../../../../src/emulators/s3/content-type.js';

test('content types are guessed from the extension, a compression suffix counting as an encoding', () => {
  assert.equal(guessContentType('data/train.csv'), 'text/csv');
  assert.equal(guessContentType('/x/Metrics.JSON'), 'application/json');
  assert.equal(guessContentType('model.tar.gz'), 'application/x-tar');
  assert.equal(guessContentType('train.csv.gz'), 'text/csv');
  assert.equal(guessContentType('archive.gz'), undefined);
  assert.equal(guessContentType('weights.bin'), undefined);
  assert.equal(guessContentType('.bashrc'), undefined);
  assert.equal(guessContentType('Makefile'), undefined);
});
