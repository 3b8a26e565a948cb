/**
 * The state machine the kill/resume cycles run (kill-cycles.ts): a Parallel of a `.sync` processing
 * job and a `.waitForTaskToken` task followed by a Wait, then a Map whose iterations each run a job and
 * a Wait, with a variable carried across. Its output is the same for every execution name, so an
 * interrupted execution's output can be compared with an uninterrupted one's.
 */
export const DURABLE_ROLE = 'arn:aws:iam::111111111111:role/mlops-sfn-durable';
export const DURABLE_BUCKET = 'durable-test';
export const DURABLE_SCRIPT = `
import time
time.sleep(0.4)
print("job done")
`;

function job(nameFormat: string, ...args: string[]): object {
  return {
    Type: 'Task',
    Resource: 'arn:aws:states:::sagemaker:createProcessingJob.sync',
    Parameters: {
      'ProcessingJobName.$': `States.Format('${nameFormat}', ${args.join(', ')})`,
      RoleArn: 'arn:aws:iam::111111111111:role/SageMakerExecutionRole',
      AppSpecification: {
        ImageUri: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3',
        ContainerEntrypoint: ['python3', '/opt/ml/processing/code/job.py'],
      },
      ProcessingResources: { ClusterConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 } },
      ProcessingInputs: [
        { InputName: 'code', S3Input: { S3Uri: `s3://${DURABLE_BUCKET}/code`, LocalPath: '/opt/ml/processing/code', S3DataType: 'S3Prefix', S3InputMode: 'File' } },
      ],
      StoppingCondition: { MaxRuntimeInSeconds: 120 },
    },
    ResultSelector: { 'status.$': '$.ProcessingJobStatus' },
  };
}

export const DURABLE_DEFINITION = JSON.stringify({
  StartAt: 'Prep',
  States: {
    Prep: { Type: 'Pass', Assign: { greeting: 'hello' }, Next: 'Par' },
    Par: {
      Type: 'Parallel',
      ResultPath: '$.par',
      Next: 'Fan',
      Branches: [
        { StartAt: 'ParJob', States: { ParJob: { ...job('{}-par', '$$.Execution.Name'), End: true } } },
        {
          StartAt: 'Ask',
          States: {
            Ask: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
              Parameters: { FunctionName: 'park', Payload: { 'token.$': '$$.Task.Token', 'execution.$': '$$.Execution.Name' } },
              TimeoutSeconds: 300,
              Next: 'Pause',
            },
            Pause: { Type: 'Wait', Seconds: 2, End: true },
          },
        },
      ],
    },
    Fan: {
      Type: 'Map',
      ItemsPath: '$.items',
      MaxConcurrency: 2,
      ResultPath: '$.fan',
      ItemProcessor: {
        StartAt: 'MapJob',
        States: {
          MapJob: { ...job('{}-m{}', '$$.Execution.Name', '$$.Map.Item.Index'), Next: 'Nap' },
          Nap: { Type: 'Wait', Seconds: 1, End: true },
        },
      },
      Next: 'Done',
    },
    Done: { Type: 'Pass', Parameters: { 'par.$': '$.par', 'fan.$': '$.fan', 'greeting.$': '$greeting' }, End: true },
  },
});
