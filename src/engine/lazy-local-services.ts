/**
 * The local services for `mlops-sfn exec`, opened when the first Task runs: a definition of Pass,
 * Choice, Wait, Map... states needs no home, no state database, no S3 store and no SageMaker, so
 * it neither loads their modules nor creates anything in the home.
 */
import type { Json } from '../core/json.js';
import { LOCAL_LOCATION, type AwsLocation } from '../core/arn.js';
import type { TaskDescriptor, TaskInvoker, TaskRequest } from '../asl/task-invoker.js';
import { IntegrationRegistry } from '../integrations/registry.js';
import type { LocalServices, LocalServicesOptions } from './local-services.js';

export interface LazyLocalServices {
  location: AwsLocation;
  /** Describes resources without opening anything; opens the services at the first invoke. */
  tasks: TaskInvoker;
  /** Closes the services if a task opened them. */
  close(): Promise<void>;
}

export function lazyLocalServices(home: string, opts: LocalServicesOptions = {}): LazyLocalServices {
  const location: AwsLocation = {
    partition: LOCAL_LOCATION.partition,
    region: opts.region ?? LOCAL_LOCATION.region,
    accountId: opts.accountId ?? LOCAL_LOCATION.accountId,
  };
  // Describing a resource is parsing its ARN: the same answer as the opened registry's.
  const describer = new IntegrationRegistry();
  let opened: Promise<LocalServices> | undefined;
  const open = (): Promise<LocalServices> =>
    (opened ??= import('./local-services.js').then(({ openLocalServices }) => openLocalServices(home, { ...opts, region: location.region, accountId: location.accountId })));
  const tasks: TaskInvoker = {
    describe: (resource: string): TaskDescriptor => describer.describe(resource),
    invoke: async (request: TaskRequest): Promise<Json> => (await open()).tasks.invoke(request),
  };
  return {
    location,
    tasks,
    async close() {
      if (opened) await (await opened).close();
    },
  };
}
