/**
 * Test fixture (run as a child process, then killed): a local SageMaker over `<home>` that starts
 * two long processing jobs (real sandboxed processes) and an endpoint that never finishes creating,
 * prints "ready" once both jobs run, and waits to be stopped or killed.
 */
import { join } from 'node:path';
import { LOCAL_LOCATION } from '../../../core/arn.js';
import { Store } from '../../../store/index.js';
import { S3Store } from '../../s3/index.js';
import type { Hosting } from '../contracts.js';
import { createJobRunner } from '../runner/index.js';
import { SageMakerService } from './service.js';
import { IMAGE, modelRequest, ROLE } from './test-setup.js';

const [home, marker] = [process.argv[2]!, process.argv[3]!];
const store = Store.open(home);
const s3 = new S3Store(join(home, 's3'), { fsync: false });
const neverReady: Hosting = {
  startServer: () => new Promise(() => undefined),
  runTransform: () => new Promise(() => undefined),
};
const sm = new SageMakerService({ store, s3, home, location: LOCAL_LOCATION, runner: createJobRunner(), hosting: neverReady, pollMs: 50 });
for (const name of ['lost-job', 'stop-me']) {
  sm.createProcessingJob({
    ProcessingJobName: name,
    RoleArn: ROLE,
    AppSpecification: { ImageUri: IMAGE, ContainerEntrypoint: ['python3', '-c', 'import time; time.sleep(120)', marker] },
    ProcessingResources: { ClusterConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 30 } },
  });
}
sm.createModel(modelRequest('m'));
sm.createEndpointConfig({ EndpointConfigName: 'cfg', ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'm', InitialInstanceCount: 1, InstanceType: 'ml.m5.large' }] });
sm.createEndpoint({ EndpointName: 'lost-ep', EndpointConfigName: 'cfg' });
const started = setInterval(() => {
  const running = ['lost-job', 'stop-me'].every((n) => sm.describeProcessingJob({ ProcessingJobName: n })['ProcessingStartTime'] !== undefined);
  if (running) {
    clearInterval(started);
    process.stdout.write('ready\n');
  }
}, 20);
setInterval(() => undefined, 60_000);
