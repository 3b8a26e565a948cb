/**
 * The composition root for local runs: one home folder (`--home`) holds the state database, the local
 * S3 store, job folders and logs; this wires them to the local SageMaker and to the Task integrations
 * the engine runs with (Lambda, SageMaker optimized and AWS SDK, S3 AWS SDK).
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { LOCAL_LOCATION, type AwsLocation } from '../core/arn.js';
import type { Clock } from '../core/clock.js';
import { s3StoreForHome, type S3Store } from '../emulators/s3/index.js';
import type { Hosting, JobRunner } from '../emulators/sagemaker/contracts.js';
import { createHosting } from '../emulators/sagemaker/hosting/index.js';
import { createJobRunner } from '../emulators/sagemaker/runner/index.js';
import { SageMakerService } from '../emulators/sagemaker/service/index.js';
import { S3SdkIntegration } from '../integrations/aws-sdk-s3.js';
import { DynamoDbService } from '../emulators/dynamodb/index.js';
import { SnsService } from '../emulators/sns/index.js';
import { DynamoDbIntegration } from '../integrations/dynamodb.js';
import { SnsIntegration } from '../integrations/sns.js';
import { LambdaFunctions, LambdaIntegration } from '../integrations/lambda.js';
import { IntegrationRegistry } from '../integrations/registry.js';
import { ActivityIntegration } from '../integrations/activity.js';
import { SageMakerIntegration, SageMakerSdkIntegration } from '../integrations/sagemaker.js';
import { Store } from '../store/index.js';

export const DEFAULT_REGION = LOCAL_LOCATION.region;
export const DEFAULT_ACCOUNT_ID = LOCAL_LOCATION.accountId;

export interface LocalServicesOptions {
  region?: string;
  accountId?: string;
  /** Runs processing and training jobs (default: the local sandboxed runner). */
  runner?: JobRunner;
  /** Model servers and batch transform (default: the local hosting). */
  hosting?: Hosting;
  /** Local Lambda functions the state machine may call (default: none registered). */
  lambda?: LambdaFunctions;
  /** The engine's clock, so `.sync` waits hold virtual time while jobs run for real. */
  clock?: Clock;
  /** Flush S3 objects to disk before they become visible (default true; tests may turn it off). */
  fsync?: boolean;
  /** Keep state in memory instead of `<home>/state.db` (tests). */
  inMemoryState?: boolean;
}

export interface LocalServices {
  home: string;
  location: AwsLocation;
  store: Store;
  s3: S3Store;
  sagemaker: SageMakerService;
  lambda: LambdaFunctions;
  /** DynamoDB tables and SNS topics of the home (the `dynamodb:*` and `sns:publish` integrations, and their APIs). */
  dynamodb: DynamoDbService;
  sns: SnsService;
  /** The TaskInvoker to run executions with. */
  tasks: IntegrationRegistry;
  /** Activity tasks waiting for workers (GetActivityTask). */
  activities: ActivityIntegration;
  /** Stops running jobs and model servers, then closes the state database. */
  close(): Promise<void>;
}

export function openLocalServices(home: string, opts: LocalServicesOptions = {}): LocalServices {
  const root = resolve(home);
  mkdirSync(root, { recursive: true });
  const location: AwsLocation = {
    partition: LOCAL_LOCATION.partition,
    region: opts.region ?? DEFAULT_REGION,
    accountId: opts.accountId ?? DEFAULT_ACCOUNT_ID,
  };
  const store = opts.inMemoryState ? Store.memory() : Store.open(root);
  const s3 = s3StoreForHome(root, opts.fsync === undefined ? {} : { fsync: opts.fsync });
  const sagemaker = new SageMakerService({
    store,
    s3,
    home: root,
    location,
    runner: opts.runner ?? createJobRunner(),
    hosting: opts.hosting ?? createHosting(),
    ...(opts.clock ? { holdClock: () => opts.clock!.hold() } : {}),
  });
  sagemaker.settleOrphanedWork();
  const lambda = opts.lambda ?? new LambdaFunctions(location.region, location.accountId);
  const dynamodb = new DynamoDbService(store, location);
  const sns = new SnsService(store, location);
  const tasks = new IntegrationRegistry()
    .add(new LambdaIntegration(lambda))
    .add(new SageMakerIntegration(sagemaker, opts.clock ? { clock: opts.clock } : {}))
    .add(new SageMakerSdkIntegration(sagemaker))
    .add(new S3SdkIntegration(s3))
    .add(new DynamoDbIntegration(dynamodb))
    .add(new SnsIntegration(sns));
  const activities = new ActivityIntegration(store, tasks.tokens);
  tasks.add(activities);
  let closed: Promise<void> | undefined;
  return {
    home: root,
    location,
    store,
    s3,
    sagemaker,
    lambda,
    dynamodb,
    sns,
    tasks,
    activities,
    close() {
      closed ??= (async () => {
        try {
          await sagemaker.close();
        } finally {
          store.close();
        }
      })();
      return closed;
    },
  };
}
