import type { Json } from '../core/json.js';
import { StatesError } from '../asl/errors.js';
import { AwsError } from '../core/errors.js';
import type { StepFunctionsErrorName } from '../core/error-catalogue.js';

/** AWS API errors for the callback calls, with AWS's names. */
export class TaskTokenError extends AwsError {
  constructor(
    readonly awsName: Extract<StepFunctionsErrorName, 'InvalidToken' | 'TaskDoesNotExist' | 'TaskTimedOut'>,
    message: string,
  ) {
    super(awsName, message, 400);
  }
}

interface Waiter {
  resolve(v: Json): void;
  reject(e: StatesError): void;
  heartbeat(): void;
}

/**
 * Outstanding `.waitForTaskToken` tasks. A token completes once: a second SendTaskSuccess/Failure,
 * or one after the task timed out, gets AWS's TaskTimedOut / InvalidToken error.
 */
export class TaskTokens {
  private readonly waiting = new Map<string, Waiter>();
  private readonly finished = new Set<string>();

  wait(token: string, signal: AbortSignal, heartbeat: () => void): Promise<Json> {
    return new Promise((resolve, reject) => {
      const done = () => {
        this.waiting.delete(token);
        this.finished.add(token);
        signal.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        done();
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.set(token, {
        resolve: (v) => {
          done();
          resolve(v);
        },
        reject: (e) => {
          done();
          reject(e);
        },
        heartbeat,
      });
    });
  }

  pending(): string[] {
    return [...this.waiting.keys()];
  }

  sendTaskSuccess(token: string, output: Json): void {
    this.take(token).resolve(output);
  }

  sendTaskFailure(token: string, error?: string, cause?: string): void {
    this.take(token).reject(new StatesError(error, cause));
  }

  sendTaskHeartbeat(token: string): void {
    this.take(token, false).heartbeat();
  }

  private take(token: string, _consume = true): Waiter {
    if (typeof token !== 'string' || token.length < 1 || token.length > 2048) {
      throw new TaskTokenError('InvalidToken', 'Invalid token');
    }
    const w = this.waiting.get(token);
    if (w) return w;
    if (this.finished.has(token)) throw new TaskTokenError('TaskTimedOut', 'Task Timed Out');
    throw new TaskTokenError('InvalidToken', 'Invalid token');
  }
}
