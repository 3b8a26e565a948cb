import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { RealClock, VirtualClock } from '../../core/clock.js';
import { UserError } from '../../core/errors.js';
import { MAX_JSON_DEPTH, type Json } from '../../core/json.js';
import { nameProblem } from '../../core/arn.js';
import { runExecution } from '../../asl/execution.js';
import { InvalidDefinitionError, loadStateMachine } from '../../asl/machine.js';
import { MAX_PAYLOAD_BYTES, payloadProblem } from '../../asl/payload-limit.js';
import { LambdaFunctions, type LambdaHandler } from '../../integrations/lambda.js';
import { lazyLocalServices } from '../../engine/lazy-local-services.js';
import { readMockConfig } from '../../engine/mock-config-file.js';
import { checkTestCase, testCaseFor, type MockTestCase } from '../../integrations/mock-config.js';
import { mockedTasks } from '../../integrations/mocked-tasks.js';
import { parseJsonText, readJsonFile } from '../json-file.js';
import { checkRegularFile, readUserFile } from '../../core/user-file.js';
import { MAX_DEFINITION_CHARS } from '../../asl/validation/index.js';

interface ExecOptions {
  input?: string;
  name?: string;
  type: string;
  history?: boolean;
  fast?: boolean;
  lambda: string[];
  mockConfig?: string;
  testCase?: string;
}

/** `mlops-sfn exec <definition.json>`: runs any state machine locally and prints its output. */
export function registerExecCommand(program: Command, getHome: () => string): void {
  program
    .command('exec')
    .description('Run a state machine definition locally and print the execution output as JSON')
    .argument('<definition>', 'the state machine definition (ASL JSON file)')
    .option('--input <file>', 'execution input JSON file, or - for standard input (default: {})')
    .option('--name <name>', 'execution name (default: a random UUID)')
    .option('--type <type>', 'STANDARD or EXPRESS', 'STANDARD')
    .option('--history', 'also print the execution history events (to standard error, one JSON event per line)')
    .option('--fast', 'virtual time: Wait states, retry backoff and timeouts complete at once')
    .option(
      '--lambda <name=module>',
      'register a local Lambda function: a JS module exporting `handler(event, context)` (repeatable)',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option('--mock-config <file>', "Step Functions Local's mock configuration file (MockConfigFile.json); needs --test-case")
    .option('--test-case <name>', 'the test case to run: <TestCase>, or <StateMachine>#<TestCase> when several state machines have it')
    .addHelpText(
      'after',
      '\nWith --mock-config and --test-case, the Task states the test case names answer with its mocked responses\n' +
        '(as in Step Functions Local) instead of calling their services; $$.StateMachine.Name is the mocked state machine\'s.\n' +
        '\nExit codes: 0 succeeded, 1 the execution failed, timed out or was aborted, 2 bad input or definition.',
    )
    .action(async (definitionPath: string, opts: ExecOptions) => {
      const code = await execCommand(definitionPath, opts, getHome());
      process.exitCode = code;
    });
}

export async function execCommand(definitionPath: string, opts: ExecOptions, home: string): Promise<number> {
  const type = opts.type.toUpperCase();
  if (type !== 'STANDARD' && type !== 'EXPRESS') throw new UserError(`--type must be STANDARD or EXPRESS, not ${JSON.stringify(opts.type)}`);
  if (opts.name !== undefined) {
    const p = nameProblem(opts.name, 'the execution name');
    if (p) throw new UserError(`--name: ${p}`);
  }
  // Bounds on bytes read: 1,048,576 characters of definition (CreateStateMachine's limit) are at
  // most 4 MiB of UTF-8; an input may be pretty-printed, its AWS limit is checked once parsed.
  const definitionText = (await readUserFile(definitionPath, { what: 'state machine definition', maxBytes: 4 * MAX_DEFINITION_CHARS, stdin: process.stdin })).toString('utf8');
  if (definitionText.length > MAX_DEFINITION_CHARS) {
    // CreateStateMachine's own wording; the Step Functions service is loaded only on this path.
    const { validationError } = await import('../../engine/step-functions/index.js');
    throw new UserError(`${definitionPath}: ${validationError('definition', undefined, `Member must have length less than or equal to ${MAX_DEFINITION_CHARS}`, true).message}`, 'INVALID_DEFINITION', 2);
  }
  const definition = parseJsonText(definitionText, definitionPath === '-' ? '<stdin>' : definitionPath, 'state machine definition');
  const input: Json = opts.input === undefined ? {} : await readJsonFile(opts.input, 'execution input', 4 * MAX_PAYLOAD_BYTES);
  const inputProblem = payloadProblem(input);
  if (inputProblem === 'size') {
    throw new UserError(`${opts.input}: the execution input is larger than AWS's 262,144-byte limit (States.DataLimitExceeded)`);
  }
  if (inputProblem === 'depth') {
    throw new UserError(`${opts.input}: the execution input nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep (InvalidExecutionInput)`);
  }
  let machine;
  try {
    machine = loadStateMachine(definition, { type });
  } catch (e) {
    if (e instanceof InvalidDefinitionError) throw new UserError(`${definitionPath}: ${e.message}`, 'INVALID_DEFINITION', 2);
    throw e;
  }
  const mock = await mockTestCase(opts, definition);
  const functions = new LambdaFunctions();
  for (const spec of opts.lambda) await registerLambda(functions, spec);
  const clock = opts.fast ? new VirtualClock() : new RealClock();
  // Tasks run against the local services in the home: Lambda, SageMaker and S3 (jobs, models and
  // objects persist there between runs; model servers stop when the command ends). They are opened
  // at the first Task, so a machine without one starts fast and leaves the home untouched.
  const services = lazyLocalServices(home, { lambda: functions, clock });
  let result;
  try {
    result = await runExecution(machine, input, {
      tasks: mock ? mockedTasks(services.tasks, mock) : services.tasks,
      clock,
      type,
      // exec waits for the outcome, as StartSyncExecution does for an EXPRESS machine.
      ...(type === 'EXPRESS' ? { sync: true } : {}),
      location: services.location,
      ...(opts.name !== undefined ? { name: opts.name } : {}),
      stateMachineName: mock?.stateMachine ?? 'local',
    });
  } finally {
    await services.close();
  }
  if (opts.history) {
    for (const e of result.history) process.stderr.write(JSON.stringify(e) + '\n');
  }
  if (result.status === 'SUCCEEDED') {
    process.stdout.write(JSON.stringify(result.output, null, 2) + '\n');
    return 0;
  }
  process.stderr.write(`Execution ${result.status}\n`);
  process.stderr.write(`error: ${result.error ?? '(none)'}\n`);
  process.stderr.write(`cause: ${result.cause ?? '(none)'}\n`);
  return 1;
}

/** `--mock-config FILE --test-case [Machine#]Case`: the test case, checked against the definition. */
async function mockTestCase(opts: ExecOptions, definition: Json): Promise<MockTestCase | undefined> {
  if (opts.mockConfig === undefined && opts.testCase === undefined) return undefined;
  if (opts.mockConfig === undefined) throw new UserError('--test-case needs --mock-config <file> (the mock configuration that defines it)');
  if (opts.testCase === undefined) throw new UserError(`--mock-config needs --test-case <name> (one of the test cases in ${opts.mockConfig})`);
  const config = await readMockConfig(opts.mockConfig);
  const hash = opts.testCase.indexOf('#');
  let machine: string;
  let name = opts.testCase;
  if (hash >= 0) {
    machine = opts.testCase.slice(0, hash);
    name = opts.testCase.slice(hash + 1);
  } else {
    const having = [...config.stateMachines].filter(([, cases]) => cases.has(name)).map(([m]) => m);
    if (having.length === 0) {
      const all = [...config.stateMachines].flatMap(([m, cases]) => [...cases.keys()].map((c) => `${m}#${c}`));
      throw new UserError(`--test-case ${name}: ${opts.mockConfig} defines no such test case (it has: ${all.slice(0, 20).join(', ') || 'none'})`);
    }
    if (having.length > 1) throw new UserError(`--test-case ${name}: state machines ${having.join(', ')} all have it in ${opts.mockConfig}; name one as <StateMachine>#${name}`);
    machine = having[0]!;
  }
  const tc = testCaseFor(config, machine, name);
  checkTestCase(tc, definition);
  return tc;
}

async function registerLambda(functions: LambdaFunctions, spec: string): Promise<void> {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new UserError(`--lambda ${spec}: expected NAME=MODULE, e.g. --lambda my-fn=./handler.mjs`);
  const name = spec.slice(0, eq);
  const file = spec.slice(eq + 1);
  let mod: { handler?: unknown; default?: unknown };
  await checkRegularFile(resolve(file), `Lambda module of --lambda ${name}`);
  try {
    mod = (await import(pathToFileURL(resolve(file)).href)) as typeof mod;
  } catch (e) {
    throw new UserError(`--lambda ${name}: cannot load ${file}: ${(e as Error).message.split('\n')[0]}`);
  }
  const handler = (mod.handler ?? mod.default) as LambdaHandler | undefined;
  if (typeof handler !== 'function') throw new UserError(`--lambda ${name}: ${file} exports no function named handler`);
  functions.register(name, handler);
}
