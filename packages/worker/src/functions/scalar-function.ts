/**
 * Scalar functions: one value out per row in. DuckDB binds them, then streams input
 * vectors through an `init` exchange in lockstep (at most 2,048 rows per batch, often
 * fewer: the extension deduplicates input per vector). Authors write either
 * `compute`, which sees whole Arrow columns (the fast path), or `row`, which sees
 * one row of typed JS values at a time.
 */
import { Field, Schema, type DataType } from "apache-arrow";
import {
  ErrorKind,
  TypeMismatchError,
  VgiError,
  cacheControlMetadata,
  encodeSchema,
  sqlTypeFromArrow,
  type BindResultInput,
  type CacheControl,
  type FunctionInfoInput,
  type InitRequest,
} from "@vgi-ts/protocol";
import type { CallContext } from "../rpc/call-context.js";
import type { StreamCall } from "../rpc/method.js";
import {
  argumentsSchema,
  validateArguments,
  type ArgumentSpec,
  type TypeLike,
} from "./argument-spec.js";
import type { BindCall } from "./bind-call.js";
import { boundResultField, constantsByName, listedResultField } from "./result-field.js";
import { buildFunctionInfo, type FunctionMetadata } from "./function-metadata.js";
import { ScalarExchange, type ScalarCompute } from "./scalar-exchange.js";
import { scoreSignature } from "./overload-score.js";
import type { NullOf, RowArguments, RowResult } from "./scalar-types.js";
import type { WorkerFunction } from "./worker-function.js";

/** What a dynamic return type sees at bind time. */
export interface ScalarBindContext {
  readonly functionName: string;
  /** Arrow fields of the column arguments, in order (varargs expanded). */
  readonly inputFields: readonly Field[];
  /** Arrow types of the column arguments, in order (varargs expanded). */
  readonly inputTypes: readonly DataType[];
  /** Constant argument values by argument name. */
  readonly constants: Readonly<Record<string, unknown>>;
  readonly settings: ReadonlyMap<string, unknown>;
  readonly secrets: ReadonlyMap<string, unknown>;
}

/**
 * A return type decided per call at bind: a `sql.*` descriptor, a raw Arrow type, or a
 * field (its metadata, e.g. an Arrow extension name, travels with the result).
 */
export type DynamicReturns = (bind: ScalarBindContext) => TypeLike | DataType | Field;

export interface ScalarFunctionDefinition<
  A extends readonly ArgumentSpec[] = readonly ArgumentSpec[],
  R extends TypeLike | DynamicReturns = TypeLike | DynamicReturns,
  N extends FunctionMetadata["nullHandling"] = FunctionMetadata["nullHandling"],
> extends FunctionMetadata {
  readonly name: string;
  readonly arguments: A;
  /** A fixed return type, or one decided at bind from the call's argument types. */
  readonly returns: R;
  readonly nullHandling?: N;
  /** Validate a call at bind time (throw to reject it with a clear message). */
  readonly validate?: (bind: ScalarBindContext) => void;
  /** Whole columns in, one column out: the fast path. */
  readonly compute?: ScalarCompute;
  /** One row of typed values in, one value out. */
  readonly row?: (...args: RowArguments<A, NullOf<N>>) => RowResult<R>;
  /**
   * Let DuckDB's result cache keep this function's output: the `vgi.cache.*` metadata
   * rides every output batch. Only for pure, deterministic functions (the same input
   * always gives the same output), or the cache serves stale rows. With `perValue` the
   * extension memoizes each distinct input value and skips the worker for values it has
   * seen; that pays only for expensive calls.
   */
  readonly cacheControl?: CacheControl;
}

export class ScalarFunction implements WorkerFunction {
  readonly functionType = "SCALAR" as const;
  /** Built when first listed (see validateArguments). */
  private argumentSchemaCache: Schema | null = null;
  /** The `vgi.cache.*` batch metadata of `cacheControl`, or null without one. */
  private readonly cacheMetadata: Map<string, string> | null;

  constructor(readonly definition: ScalarFunctionDefinition) {
    if ((definition.compute === undefined) === (definition.row === undefined)) {
      throw new Error(`scalar function ${definition.name} needs exactly one of compute or row`);
    }
    validateArguments(definition.arguments);
    // Encoded once: a bad control is a definition error, reported when the catalog loads.
    this.cacheMetadata =
      definition.cacheControl === undefined ? null : cacheControlMetadata(definition.cacheControl);
  }

  get name(): string {
    return this.definition.name;
  }

  describe(schemaPath: readonly string[]): FunctionInfoInput {
    const result = listedResultField(this.definition.returns);
    return buildFunctionInfo(
      {
        name: this.name,
        functionType: "SCALAR",
        arguments: (this.argumentSchemaCache ??= argumentsSchema(this.definition.arguments)),
        outputSchema: new Schema([result]),
        metadata: this.definition,
      },
      schemaPath,
    );
  }

  matchScore(call: BindCall): number | null {
    return scoreSignature(this.definition.arguments, call);
  }

  bindContext(call: BindCall): ScalarBindContext {
    const constants = constantsByName(this.definition.arguments, call.positional);
    return {
      functionName: this.name,
      inputFields: call.inputFields,
      inputTypes: call.inputFields.map((field) => field.type),
      constants,
      settings: call.settings,
      secrets: call.secrets,
    };
  }

  /** The bound `result` field: validates the call and decides a dynamic type. */
  resultField(call: BindCall): Field {
    const bind = this.bindContext(call);
    checkColumnArguments(this.definition, bind.inputFields);
    this.definition.validate?.(bind);
    const { returns } = this.definition;
    return boundResultField(typeof returns === "function" ? returns(bind) : returns);
  }

  bind(call: BindCall): BindResultInput {
    return {
      outputSchema: encodeSchema(new Schema([this.resultField(call)])),
      opaqueData: null,
      lookupSecretTypes: [],
      lookupScopes: [],
      lookupNames: [],
    };
  }

  open(call: BindCall, _init: InitRequest, ctx: CallContext): StreamCall {
    return new ScalarExchange(
      this.definition,
      this.bindContext(call),
      this.resultField(call),
      ctx,
      this.cacheMetadata,
    );
  }
}

/**
 * Define a scalar function. With `sql.*` argument and return types the `row`
 * callback is fully typed:
 *
 * ```ts
 * scalarFunction({
 *   name: "shout",
 *   arguments: [{ name: "text", type: sql.varchar }],
 *   returns: sql.varchar,
 *   row: (text) => text.toUpperCase() + "!", // text: string
 * });
 * ```
 */
export function scalarFunction<
  const A extends readonly ArgumentSpec[],
  R extends TypeLike | DynamicReturns,
  N extends FunctionMetadata["nullHandling"] = undefined,
>(definition: ScalarFunctionDefinition<A, R, N>): ScalarFunction {
  return new ScalarFunction(definition as unknown as ScalarFunctionDefinition);
}

/** Varargs need a value; type bounds must hold for every column that fills a slot. */
export function checkColumnArguments(
  definition: { readonly name: string; readonly arguments: readonly ArgumentSpec[] },
  inputs: readonly Field[],
): void {
  const slots = definition.arguments.filter((arg) => arg.const !== true);
  const last = slots.at(-1);
  if (last?.varargs === true && inputs.length < slots.length) {
    throw new VgiError(
      ErrorKind.InvalidArgument,
      `${definition.name}: varargs argument '${last.name}' requires at least 1 value`,
    );
  }
  inputs.forEach((input, index) => {
    const slot = slots[Math.min(index, slots.length - 1)];
    const bound = slot?.typeBound;
    if (slot === undefined || bound === undefined || bound.test(input.type)) return;
    const admits = bound.description === undefined ? "" : ` (${bound.description})`;
    throw new TypeMismatchError(
      `${definition.name}: argument '${slot.name}' of type ${sqlTypeName(input)} does not ` +
        `satisfy type_bound=${bound.name}${admits}`,
    );
  });
}

function sqlTypeName(field: Field): string {
  try {
    return sqlTypeFromArrow(field.type, field.metadata).sqlName;
  } catch {
    return String(field.type);
  }
}
