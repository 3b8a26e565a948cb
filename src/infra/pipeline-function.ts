/**
 * A pipeline Lambda (trigger, approval, step cache, stage failure): the same TypeScript handler the local engine runs,
 * bundled by esbuild as an ES module for a current Node.js runtime, writing to its own log group
 * through its own role (no AWSLambdaBasicExecutionRole, whose log permissions span every group).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { UserError } from '../core/errors.js';
import { packageRoot } from '../core/package-root.js';

/** The newest Node.js runtime this aws-cdk-lib knows (cdk-nag's AwsSolutions-L1 asks for it). */
export const PIPELINE_RUNTIME = lambda.Runtime.NODEJS_24_X;

export interface PipelineFunctionProps {
  description: string;
  /** The handler module (TypeScript or JavaScript) exporting `handler`. */
  entry: string;
  environment: Record<string, string>;
  timeout?: Duration;
}

export class PipelineFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.description,
    });
    this.logGroup.grantWrite(this.role);
    const lock = findLockFile(packageRoot());
    this.function = new NodejsFunction(this, 'Function', {
      description: props.description,
      entry: props.entry,
      handler: 'handler',
      runtime: PIPELINE_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: props.timeout ?? Duration.seconds(30),
      role: this.role,
      logGroup: this.logGroup,
      environment: props.environment,
      depsLockFilePath: lock,
      projectRoot: dirname(lock),
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'],
        // Bundled CommonJS dependencies may still call require() for Node built-ins.
        banner: "import { createRequire as __mlopsCreateRequire } from 'node:module'; const require = __mlopsCreateRequire(import.meta.url);",
        // The runtime ships AWS SDK v3; keeping it external keeps the bundles small.
        externalModules: ['@aws-sdk/*'],
        minify: false,
        sourceMap: false,
      },
    });
  }
}

/**
 * The handler to bundle: its TypeScript source when this is a checkout, else the compiled module
 * beside this file (an installed package ships only dist/).
 */
export function lambdaEntry(name: 'trigger' | 'approval' | 'cache' | 'stage-failure'): string {
  const source = join(packageRoot(), 'src', 'lambda', `${name}.ts`);
  if (existsSync(source)) return source;
  const compiled = join(packageRoot(), 'dist', 'src', 'lambda', `${name}.js`);
  if (existsSync(compiled)) return compiled;
  throw new UserError(`cannot find the ${name} Lambda handler (looked for ${source} and ${compiled})`, 'MISSING_HANDLER');
}

/** esbuild bundling is rooted at the nearest npm/yarn/pnpm lock file above the package. */
function findLockFile(start: string): string {
  let dir = start;
  for (;;) {
    for (const name of ['package-lock.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb']) {
      const p = join(dir, name);
      if (existsSync(p)) return p;
    }
    const up = dirname(dir);
    if (up === dir) {
      throw new UserError(`cannot bundle the Lambda handlers: no package-lock.json found above ${start}`, 'MISSING_LOCK_FILE');
    }
    dir = up;
  }
}
