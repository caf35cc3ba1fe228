/**
 * Aggregate functions: DuckDB binds once, then sends `update` calls (a batch of input
 * rows with the group id of each row), `combine` calls (merge thread-local groups into
 * global ones), `finalize` (one value per requested group) and `destructor`.
 *
 * DuckDB may send those calls to different pooled worker processes, so state lives in
 * shared storage as an append-only log: each update appends the partial states of the
 * groups it touched (computed from the initial state), each combine appends its
 * source→target pairs, and finalize folds the log in order with `combine`. That costs one
 * storage append per call whatever the number of groups, and asks of the author only
 * what every parallel aggregate needs anyway: an initial state that is an identity for
 * `combine`.
 */
import { Field, Schema, type DataType, type Vector } from "apache-arrow";
import type { FunctionInfoInput } from "@vgi-ts/protocol";
import { argumentsSchema, type ArgumentSpec, type TypeLike } from "./argument-spec.js";
import type { BindCall } from "./bind-call.js";
import { boundResultField, constantsByName, listedResultField } from "./result-field.js";
import { buildFunctionInfo, type FunctionMetadata } from "./function-metadata.js";
import { scoreSignature } from "./overload-score.js";
import { jsonState, type StateCodec } from "./state-codec.js";

/** What every callback sees about the call: constants, input types, settings. */
export interface AggregateCall {
  readonly functionName: string;
  /** Constant argument values by argument name. */
  readonly constants: Readonly<Record<string, unknown>>;
  /** Fields of the column arguments, in order (varargs expanded). */
  readonly inputFields: readonly Field[];
  readonly settings: ReadonlyMap<string, unknown>;
  readonly secrets: ReadonlyMap<string, unknown>;
}

/** The groups one update call touches. */
export interface GroupStates<S> {
  /** The group's state so far in this call (its initial state on first use). */
  get(groupId: bigint): S;
  /** Record the group's new state; only groups that were set are stored. */
  set(groupId: bigint, state: S): void;
}

/** The groups of one batch, numbered densely: loop over `index`, accumulate per slot. */
export interface GroupIndex {
  /** For each row, its group's slot in `ids` (0..ids.length-1). */
  readonly index: Int32Array;
  /** The distinct group ids of the batch, by slot. */
  readonly ids: readonly bigint[];
}

export interface AggregateInput {
  readonly numRows: number;
  /** The group of each row. */
  readonly groupIds: BigInt64Array;
  /** The batch's groups numbered densely (computed on first use, without a BigInt per row). */
  readonly groups: GroupIndex;
  /** Column arguments in declaration order (varargs expanded). */
  readonly columns: readonly Vector[];
  column(name: string): Vector;
}

export type AggregateReturns = TypeLike | ((call: AggregateCall) => TypeLike | DataType | Field);

export interface AggregateFunctionDefinition<S> extends FunctionMetadata {
  readonly name: string;
  readonly arguments: readonly ArgumentSpec[];
  readonly returns: AggregateReturns;
  /** How states are stored between calls (default: JSON, bigints included). */
  readonly state?: StateCodec<S>;
  /** The state of an empty group; must be an identity for `combine`. */
  initial(call: AggregateCall): S;
  /** Fold one batch of rows into the states of their groups. */
  update(states: GroupStates<S>, input: AggregateInput, call: AggregateCall): void;
  /** Merge two states (source into target); returns the merged state. */
  combine(source: S, target: S, call: AggregateCall): S;
  /** The result for one group; `state` is null when the group was never updated. */
  finalize(state: S | null, call: AggregateCall): unknown;
}

export class AggregateFunction<S = unknown> {
  readonly functionType = "AGGREGATE" as const;
  readonly codec: StateCodec<S>;
  private readonly argumentSchema: Schema;

  constructor(readonly definition: AggregateFunctionDefinition<S>) {
    this.codec = definition.state ?? jsonState<S>();
    this.argumentSchema = argumentsSchema(definition.arguments);
  }

  get name(): string {
    return this.definition.name;
  }

  describe(schemaPath: readonly string[]): FunctionInfoInput {
    const result = listedResultField(this.definition.returns);
    return buildFunctionInfo(
      {
        name: this.name,
        functionType: "AGGREGATE",
        arguments: this.argumentSchema,
        outputSchema: new Schema([result]),
        metadata: this.definition,
      },
      schemaPath,
    );
  }

  matchScore(call: BindCall): number | null {
    return scoreSignature(this.definition.arguments, call);
  }

  aggregateCall(call: BindCall): AggregateCall {
    const constants = constantsByName(this.definition.arguments, call.positional);
    return {
      functionName: this.name,
      constants,
      inputFields: call.inputFields,
      settings: call.settings,
      secrets: call.secrets,
    };
  }

  resultField(call: AggregateCall): Field {
    const { returns } = this.definition;
    return boundResultField(typeof returns === "function" ? returns(call) : returns);
  }
}

/** Define an aggregate function. */
export function aggregateFunction<S>(
  definition: AggregateFunctionDefinition<S>,
): AggregateFunction<S> {
  return new AggregateFunction(definition);
}

/**
 * Dense slots for a batch's group ids. The extension numbers groups from 0 with a counter,
 * so ids fit in 32 bits: they are read through an Int32Array view (no BigInt per row) and
 * mapped through an array; ids that do not fit take a Map.
 */
export function groupIndex(groupIds: BigInt64Array): GroupIndex {
  const n = groupIds.length;
  const words = new Int32Array(groupIds.buffer, groupIds.byteOffset, n * 2);
  const index = new Int32Array(n);
  const ids: bigint[] = [];
  const small = new Map<number, number>();
  const large = new Map<bigint, number>();
  for (let i = 0; i < n; i++) {
    const lo = words[2 * i]!;
    const hi = words[2 * i + 1]!;
    let slot: number | undefined;
    if (hi === 0 && lo >= 0) {
      slot = small.get(lo);
      if (slot === undefined) {
        slot = ids.length;
        small.set(lo, slot);
        ids.push(BigInt(lo));
      }
    } else {
      const id = groupIds[i]!;
      slot = large.get(id);
      if (slot === undefined) {
        slot = ids.length;
        large.set(id, slot);
        ids.push(id);
      }
    }
    index[i] = slot;
  }
  return { index, ids };
}
