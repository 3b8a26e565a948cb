import type { JsonObject } from '../../core/json.js';
import type { QueryLanguage, StateType } from './field-tables.js';
import type { ProblemList } from './problem.js';

export type SubMachineKind = 'top' | 'branch' | 'processor';

/** What one validation run shares across the whole definition. */
export interface Context {
  readonly problems: ProblemList;
  /**
   * The top-level language. States inside a Map or Parallel inherit it, not the enclosing state's
   * own QueryLanguage (measured on AWS, floci-io/floci#2968).
   */
  readonly machineLanguage: QueryLanguage;
  /** An EXPRESS state machine: no `.sync` or `.waitForTaskToken` integrations, no activities. */
  readonly express: boolean;
  /** State names are unique across the whole definition, nested ones included. */
  readonly stateNames: Set<string>;
  readonly labels: Set<string>;
  /** Validates a nested sub-machine (a Parallel branch, a Map ItemProcessor / Iterator). */
  subMachine(machine: JsonObject, location: string, kind: SubMachineKind, depth: number): void;
}

/** One state being checked. */
export interface StateUnderCheck {
  readonly name: string;
  readonly state: JsonObject;
  readonly type: StateType;
  /** "/States/Name", or ".../ItemProcessor/States/Name" when nested. */
  readonly location: string;
  readonly language: QueryLanguage;
  readonly depth: number;
  readonly ctx: Context;
}
