/**
 * jsonata and re2js, loaded at their first use: a JSONPath definition (and every command that runs
 * no JSONata) never pays for them at start-up. Both packages can be required synchronously, which
 * the compile steps that use them need.
 */
import { createRequire } from 'node:module';
import type jsonataModule from 'jsonata';
import type * as re2jsModule from 're2js';

const require = createRequire(import.meta.url);

let jsonataFn: typeof jsonataModule | undefined;
let re2js: typeof re2jsModule | undefined;

export function loadJsonata(): typeof jsonataModule {
  return (jsonataFn ??= require('jsonata') as typeof jsonataModule);
}

export function loadRe2(): typeof re2jsModule.RE2JS {
  return (re2js ??= require('re2js') as typeof re2jsModule).RE2JS;
}
