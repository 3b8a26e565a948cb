/**
 * State machine versions and aliases as Step Functions keeps them. Publishing copies the machine's
 * current revision into an immutable, numbered version (numbers are never reused, even after a
 * delete); publishing an unchanged revision again answers with the version already made from it.
 * An alias routes executions to one or two versions of one machine by weight. StartExecution on a
 * version or alias ARN runs that version's definition; the execution records both ARNs.
 */
import { randomInt } from 'node:crypto';
import type {
  CreateStateMachineAliasInput,
  CreateStateMachineAliasOutput,
  DescribeStateMachineAliasInput,
  DescribeStateMachineAliasOutput,
  ListStateMachineAliasesInput,
  ListStateMachineAliasesOutput,
  ListStateMachineVersionsInput,
  ListStateMachineVersionsOutput,
  RoutingConfigurationListItem,
  UpdateStateMachineAliasInput,
  UpdateStateMachineAliasOutput,
} from '@aws-sdk/client-sfn';
import type { RoutingEntry, StateMachineAliasRow, StateMachineRow, StateMachineVersionRow, Store } from '../../store/index.js';
import { conflict, invalidArn, resourceNotFound, stateMachineDoesNotExist, StepFunctionsError, validationError } from './errors.js';
import { checkLength, decodeToken, encodeToken, optionalString, pageSize, parseMachineArn, required } from './requests.js';

/** What an execution runs when started through a machine, version or alias ARN. */
export interface StartTarget {
  machine: StateMachineRow;
  definition: string;
  versionArn?: string;
  aliasArn?: string;
}

const MAX_DESCRIPTION = 256;
const ALIAS_NAME = /^(?=.*[a-zA-Z_\-.])[a-zA-Z0-9_\-.]+$/;

export class MachineVersions {
  constructor(
    private readonly store: Store,
    private readonly now: () => number,
  ) {}

  /**
   * Publishes the machine's current revision (or answers with the version already made from it).
   * `revisionId`, when given, must be the current one (AWS's optimistic check).
   */
  publish(machine: StateMachineRow, description: string | undefined, revisionId?: string): StateMachineVersionRow {
    checkLength(description, 'description', MAX_DESCRIPTION);
    if (revisionId !== undefined && revisionId !== machine.revisionId) {
      // A machine never updated has no revision id (Describe shows none); AWS's Java service prints it as null.
      throw conflict(
        `Failed to publish the State Machine version for revision ${revisionId}. The current State Machine revision is ${machine.revisionId ?? 'null'}.`,
      );
    }
    const latest = this.store.versions.latest(machine.arn);
    if (latest && latest.revisionId === machine.revisionId) return latest;
    return this.store.transaction(() => {
      const n = this.store.stateMachines.takeVersionNumber(machine.arn);
      if (n === undefined) throw stateMachineDoesNotExist(machine.arn);
      const v: StateMachineVersionRow = {
        arn: `${machine.arn}:${n}`,
        stateMachineArn: machine.arn,
        version: n,
        definition: machine.definition,
        roleArn: machine.roleArn,
        type: machine.type,
        createdAt: this.now(),
      };
      if (description !== undefined) v.description = description;
      if (machine.revisionId !== undefined) v.revisionId = machine.revisionId;
      if (machine.loggingConfiguration !== undefined) v.loggingConfiguration = machine.loggingConfiguration;
      if (machine.tracingConfiguration !== undefined) v.tracingConfiguration = machine.tracingConfiguration;
      this.store.versions.insert(v);
      return v;
    });
  }

  list(input: ListStateMachineVersionsInput): ListStateMachineVersionsOutput {
    const arn = required(input.stateMachineArn, 'stateMachineArn');
    const parsed = parseMachineArn(arn);
    if (parsed.version !== undefined || parsed.alias !== undefined) throw invalidArn(`Invalid ARN prefix: ${arn}`);
    if (!this.store.stateMachines.get(arn)) throw stateMachineDoesNotExist(arn);
    const limit = pageSize(input.maxResults);
    const query = `versions:${arn}`;
    const from = decodeToken<number>(input.nextToken, query) ?? 0;
    const all = this.store.versions.list(arn);
    const out: ListStateMachineVersionsOutput = {
      stateMachineVersions: all.slice(from, from + limit).map((v) => ({ stateMachineVersionArn: v.arn, creationDate: new Date(v.createdAt) })),
    };
    if (from + limit < all.length) out.nextToken = encodeToken(query, from + limit);
    return out;
  }

  /** A missing version is no error, as on AWS; one an alias routes to cannot go. */
  delete(versionArn: unknown): Record<string, never> {
    const arn = required(versionArn, 'stateMachineVersionArn');
    if (parseMachineArn(arn).version === undefined) throw invalidArn(`Invalid ARN prefix: ${arn}`);
    const referencing = this.store.aliases.referencing(arn);
    if (referencing.length > 0) {
      throw conflict(
        `Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [${referencing.map((a) => a.name).join(', ')}]`,
      );
    }
    this.store.versions.delete(arn);
    return {};
  }

  createAlias(input: CreateStateMachineAliasInput): CreateStateMachineAliasOutput {
    const name = required(input.name, 'name');
    checkAliasName(name);
    const description = optionalString(input.description, 'description');
    checkLength(description, 'description', MAX_DESCRIPTION);
    const routing = this.checkRouting(input.routingConfiguration);
    const machineArn = parseMachineArn(routing[0]!.stateMachineVersionArn).machineArn;
    const arn = `${machineArn}:${name}`;
    const now = this.now();
    const row: StateMachineAliasRow = { arn, stateMachineArn: machineArn, name, routing, createdAt: now, updatedAt: now };
    if (description !== undefined) row.description = description;
    if (!this.store.aliases.insert(row)) {
      // Idempotent: the same routing and description answer with the alias that exists.
      const existing = this.store.aliases.get(arn)!;
      if (sameRouting(existing.routing, routing) && existing.description === description) return { stateMachineAliasArn: arn, creationDate: new Date(existing.createdAt) };
      throw conflict('Failed to create alias because an alias with the same name and a different routing configuration already exists.');
    }
    return { stateMachineAliasArn: arn, creationDate: new Date(now) };
  }

  describeAlias(input: DescribeStateMachineAliasInput): DescribeStateMachineAliasOutput {
    const a = this.aliasRow(input.stateMachineAliasArn);
    const out: DescribeStateMachineAliasOutput = { stateMachineAliasArn: a.arn, name: a.name };
    if (a.description !== undefined) out.description = a.description;
    out.routingConfiguration = a.routing;
    out.creationDate = new Date(a.createdAt);
    out.updateDate = new Date(a.updatedAt);
    return out;
  }

  updateAlias(input: UpdateStateMachineAliasInput): UpdateStateMachineAliasOutput {
    const description = optionalString(input.description, 'description');
    checkLength(description, 'description', MAX_DESCRIPTION);
    if (description === undefined && input.routingConfiguration === undefined) {
      throw new StepFunctionsError('MissingRequiredParameter', 'Either the description or the RoutingConfiguration must be specified');
    }
    const a = this.aliasRow(input.stateMachineAliasArn);
    const routing = input.routingConfiguration === undefined ? undefined : this.checkRouting(input.routingConfiguration);
    if (routing && parseMachineArn(routing[0]!.stateMachineVersionArn).machineArn !== a.stateMachineArn) {
      throw new StepFunctionsError('ValidationException', `Routing configuration must contain state machine version ARNs of ${a.stateMachineArn}.`);
    }
    const now = this.now();
    this.store.aliases.update(a.arn, { ...(description !== undefined ? { description } : {}), ...(routing ? { routing } : {}) }, now);
    return { updateDate: new Date(now) };
  }

  deleteAlias(aliasArn: unknown): Record<string, never> {
    const arn = required(aliasArn, 'stateMachineAliasArn');
    if (parseMachineArn(arn).alias === undefined) throw invalidArn(`Invalid ARN prefix: ${arn}`);
    this.store.aliases.delete(arn);
    return {};
  }

  listAliases(input: ListStateMachineAliasesInput): ListStateMachineAliasesOutput {
    const arn = required(input.stateMachineArn, 'stateMachineArn');
    const parsed = parseMachineArn(arn);
    if (parsed.alias !== undefined) throw invalidArn(`Invalid ARN prefix: ${arn}`);
    if (!this.store.stateMachines.get(parsed.machineArn) || (parsed.version !== undefined && !this.store.versions.get(arn))) throw resourceNotFound(arn);
    const limit = pageSize(input.maxResults);
    const query = `aliases:${arn}`;
    const from = decodeToken<number>(input.nextToken, query) ?? 0;
    // On a version ARN: the aliases that route to that version.
    const all = parsed.version !== undefined ? this.store.aliases.referencing(arn) : this.store.aliases.list(arn);
    const out: ListStateMachineAliasesOutput = {
      stateMachineAliases: all.slice(from, from + limit).map((a) => ({ stateMachineAliasArn: a.arn, creationDate: new Date(a.createdAt) })),
    };
    if (from + limit < all.length) out.nextToken = encodeToken(query, from + limit);
    return out;
  }

  /** What StartExecution runs for a machine, version or alias ARN (an alias picks a version by weight). */
  startTarget(arn: string): StartTarget {
    const parsed = parseMachineArn(arn);
    const machine = this.store.stateMachines.get(parsed.machineArn);
    if (!machine) throw stateMachineDoesNotExist(arn);
    if (parsed.version === undefined && parsed.alias === undefined) return { machine, definition: machine.definition };
    if (parsed.version !== undefined) {
      const v = this.store.versions.get(arn);
      if (!v) throw stateMachineDoesNotExist(arn);
      return { machine, definition: v.definition, versionArn: v.arn };
    }
    const alias = this.store.aliases.get(arn);
    if (!alias) throw stateMachineDoesNotExist(arn);
    const versionArn = pickByWeight(alias.routing);
    const v = this.store.versions.get(versionArn);
    if (!v) throw stateMachineDoesNotExist(versionArn);
    return { machine, definition: v.definition, versionArn: v.arn, aliasArn: alias.arn };
  }

  /** A version's row for DescribeStateMachine on a version ARN. */
  version(arn: string): StateMachineVersionRow {
    const v = this.store.versions.get(arn);
    if (!v) throw stateMachineDoesNotExist(arn);
    return v;
  }

  /** DeleteStateMachine takes the machine's versions and aliases with it. */
  deleteAllOf(machineArn: string): void {
    this.store.versions.deleteAllOf(machineArn);
    this.store.aliases.deleteAllOf(machineArn);
  }

  private aliasRow(arn: unknown): StateMachineAliasRow {
    const a = required(arn, 'stateMachineAliasArn');
    if (parseMachineArn(a).alias === undefined) throw invalidArn(`Invalid ARN prefix: ${a}`);
    const row = this.store.aliases.get(a);
    if (!row) throw new StepFunctionsError('ResourceNotFound', 'Request references a resource that does not exist.');
    return row;
  }

  /** AWS's checks of a routingConfiguration, in AWS's order and with its texts. */
  private checkRouting(value: unknown): RoutingEntry[] {
    if (!Array.isArray(value)) throw validationError('routingConfiguration', undefined, 'Member must not be null');
    const items = value as RoutingConfigurationListItem[];
    const arns = items.map((r) => String(r?.stateMachineVersionArn));
    if (items.length < 1 || items.length > 2) {
      const shown = `[${items.map((r) => `RoutingConfigurationListItem(stateMachineVersionArn=${String(r?.stateMachineVersionArn)}, weight=${String(r?.weight)})`).join(', ')}]`;
      throw validationError('routingConfiguration', shown, `Member must have length ${items.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 2'}`);
    }
    if (new Set(arns).size < arns.length) {
      throw new StepFunctionsError('ValidationException', `Routing configuration must contain distinct state machine version ARNs. Received: [${arns.join(', ')}]`);
    }
    const weights = items.map((r) => r?.weight);
    weights.forEach((w, i) => {
      if (typeof w !== 'number' || !Number.isInteger(w) || w < 0) {
        throw validationError(`routingConfiguration.${i + 1}.member.weight`, w, 'Member must have value greater than or equal to 0');
      }
      if (w > 100) throw validationError(`routingConfiguration.${i + 1}.member.weight`, w, 'Member must have value less than or equal to 100');
    });
    if ((weights as number[]).reduce((a, b) => a + b, 0) !== 100) {
      throw new StepFunctionsError('ValidationException', `Sum of routing configuration weights must equal 100. Received: ${JSON.stringify(weights)}`);
    }
    const notVersions = () => new StepFunctionsError('ValidationException', `Routing configuration must contain state machine version ARNs. Received: [${arns.join(', ')}]`);
    let machine: string | undefined;
    for (const arn of arns) {
      let parsed;
      try {
        parsed = parseMachineArn(arn);
      } catch {
        throw notVersions();
      }
      if (parsed.version === undefined) throw notVersions();
      if (!this.store.versions.get(arn)) throw resourceNotFound(arn);
      if (machine !== undefined && machine !== parsed.machineArn) {
        throw new StepFunctionsError('ValidationException', `Routing configuration must contain state machine version ARNs of one state machine. Received: [${arns.join(', ')}]`);
      }
      machine = parsed.machineArn;
    }
    return items.map((r) => ({ stateMachineVersionArn: r.stateMachineVersionArn!, weight: r.weight! }));
  }
}

function checkAliasName(name: string): void {
  if (name.length > 80) throw validationError('name', name, 'Member must have length less than or equal to 80');
  if (!ALIAS_NAME.test(name)) throw validationError('name', name, 'Member must satisfy regular expression pattern: ^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$');
}

function sameRouting(a: readonly RoutingEntry[], b: readonly RoutingEntry[]): boolean {
  const key = (r: readonly RoutingEntry[]) => JSON.stringify([...r].map((x) => [x.stateMachineVersionArn, x.weight]).sort());
  return key(a) === key(b);
}

/** A version by weight: weights sum to 100, so a draw in [0, 100) lands in exactly one. */
function pickByWeight(routing: readonly RoutingEntry[]): string {
  let draw = randomInt(100);
  for (const r of routing) {
    if (draw < r.weight) return r.stateMachineVersionArn;
    draw -= r.weight;
  }
  return routing[routing.length - 1]!.stateMachineVersionArn;
}
