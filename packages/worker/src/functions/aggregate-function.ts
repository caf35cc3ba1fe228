/**
 * Aggregate functions: DuckDB binds once, then sends `update` calls (a batch of input
 * rows with the group id of each row), `combine` calls (merge thread-local groups into
 * global ones), `finalize` (one value per requested group) and `destructor`, each to any
 * pooled worker process (`vgi/aggregate-methods.ts` keeps them consistent).
 *
 * Two ways to write one. `columnarAggregate`: the state is a few numeric fields per
 * group, kept in typed arrays and updated a batch at a time (sum, count, avg, min/max…);
 * the fast path. `aggregateFunction`: the state is any JS value per group (lists,
 * strings), with `initial`/`update`/`combine`/`finalize` callbacks. Either way the
 * initial state must be an identity for combining, as every parallel aggregate needs.
 */
import { Field, Schema, type DataType } from "apache-arrow";
import type { FunctionInfoInput } from "@vgi-ts/protocol";
import {
  argumentsSchema,
  validateArguments,
  type ArgumentSpec,
  type TypeLike,
} from "./argument-spec.js";
import type { BindCall } from "./bind-call.js";
import { boundResultField, constantsByName, listedResultField } from "./result-field.js";
import { buildFunctionInfo, type FunctionMetadata } from "./function-metadata.js";
import { scoreSignature } from "./overload-score.js";
import { jsonState, type StateCodec } from "./state-codec.js";
import { ColumnarTable, type ColumnarHooks, type StateColumnsSpec } from "./columnar-state.js";
import { GenericTable, type GenericHooks } from "./generic-state.js";
import type { StateTable } from "./state-table.js";
import type { StreamingHooks, WindowHooks } from "./window-aggregate.js";

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

export type AggregateReturns = TypeLike | ((call: AggregateCall) => TypeLike | DataType | Field);

export interface AggregateSignature extends FunctionMetadata {
  readonly name: string;
  readonly arguments: readonly ArgumentSpec[];
  readonly returns: AggregateReturns;
  /** Offer the window path (`f(x) OVER (... frame ...)`); see `window-aggregate.ts`. */
  readonly window?: WindowHooks<AggregateCall>;
  /** Offer the streaming path for cumulative OVER frames; see `window-aggregate.ts`. */
  readonly streaming?: StreamingHooks<unknown, AggregateCall>;
}

/** An aggregate whose state is any JS value per group (see `generic-state.ts`). */
export interface GenericAggregateDefinition<S>
  extends AggregateSignature, GenericHooks<S, AggregateCall> {
  /** How states are stored between calls (default: JSON, bigints included). */
  readonly state?: StateCodec<S>;
}

/** An aggregate whose state is a few numeric fields, held in typed arrays. */
export interface ColumnarAggregateDefinition<D extends StateColumnsSpec>
  extends AggregateSignature, ColumnarHooks<D, AggregateCall> {}

export class AggregateFunction {
  readonly functionType = "AGGREGATE" as const;
  /** Built when first listed (see validateArguments). */
  private argumentSchemaCache: Schema | null = null;

  constructor(readonly definition: AggregateSignature) {
    validateArguments(definition.arguments);
  }

  /** An empty state table for one execution of this aggregate. */
  newTable(call: AggregateCall): StateTable {
    const definition = this.definition as
      GenericAggregateDefinition<unknown> | ColumnarAggregateDefinition<StateColumnsSpec>;
    if ("columns" in definition) return new ColumnarTable(definition, call);
    return new GenericTable(definition, definition.state ?? jsonState(), call);
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
        arguments: (this.argumentSchemaCache ??= argumentsSchema(this.definition.arguments)),
        outputSchema: new Schema([result]),
        metadata: this.definition,
        supportsWindow: this.definition.window !== undefined,
        streamingPartitioned: this.definition.streaming !== undefined,
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

/** Define an aggregate function with one state value per group (any JSON-able value). */
export function aggregateFunction<S>(definition: GenericAggregateDefinition<S>): AggregateFunction {
  return new AggregateFunction(definition);
}

/**
 * Define an aggregate whose state is a few numeric fields per group, kept in typed arrays
 * and updated a whole batch at a time (`columns: { total: "i64:sum", count: "i64:sum" }`).
 */
export function columnarAggregate<const D extends StateColumnsSpec>(
  definition: ColumnarAggregateDefinition<D>,
): AggregateFunction {
  return new AggregateFunction(definition);
}
