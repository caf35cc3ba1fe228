/**
 * Scalar functions: one value out per row in. DuckDB binds them, then streams input
 * vectors through an `init` exchange in lockstep (at most 2,048 rows per batch, often
 * fewer: the extension deduplicates input per vector). Authors write either
 * `compute`, which sees whole Arrow columns (the fast path), or `row`, which sees
 * one row of JS values at a time.
 */
import { Field, Null, Schema, type DataType } from "apache-arrow";
import {
  encodeSchema,
  type BindResultInput,
  type FunctionInfoInput,
  type InitRequest,
} from "@vgi-ts/protocol";
import type { CallContext } from "../rpc/call-context.js";
import type { StreamCall } from "../rpc/method.js";
import { argumentsSchema, type ArgumentSpec, type TypeLike } from "./argument-spec.js";
import type { BindCall } from "./bind-call.js";
import { buildFunctionInfo, type FunctionMetadata } from "./function-metadata.js";
import { ScalarExchange, type ScalarCompute, type ScalarRow } from "./scalar-exchange.js";
import { scoreSignature } from "./overload-score.js";
import type { WorkerFunction } from "./worker-function.js";

/** What a dynamic return type sees at bind time. */
export interface ScalarBindContext {
  readonly functionName: string;
  /** Arrow types of the column arguments, in order (varargs expanded). */
  readonly inputTypes: readonly DataType[];
  /** Constant argument values by argument name. */
  readonly constants: Readonly<Record<string, unknown>>;
  readonly settings: ReadonlyMap<string, unknown>;
  readonly secrets: ReadonlyMap<string, unknown>;
}

export interface ScalarFunctionDefinition extends FunctionMetadata {
  readonly name: string;
  readonly arguments: readonly ArgumentSpec[];
  /** A fixed return type, or one decided at bind from the call's argument types. */
  readonly returns: TypeLike | ((bind: ScalarBindContext) => TypeLike | DataType);
  /** Validate a call at bind time (throw to reject it with a clear message). */
  readonly validate?: (bind: ScalarBindContext) => void;
  readonly compute?: ScalarCompute;
  readonly row?: ScalarRow;
}

export class ScalarFunction implements WorkerFunction {
  readonly functionType = "SCALAR" as const;
  private readonly argumentSchema: Schema;

  constructor(readonly definition: ScalarFunctionDefinition) {
    if ((definition.compute === undefined) === (definition.row === undefined)) {
      throw new Error(`scalar function ${definition.name} needs exactly one of compute or row`);
    }
    this.argumentSchema = argumentsSchema(definition.arguments);
  }

  get name(): string {
    return this.definition.name;
  }

  describe(schemaPath: readonly string[]): FunctionInfoInput {
    const { returns } = this.definition;
    const result =
      typeof returns === "function"
        ? // The return type is decided per call at bind; the listing says ANY.
          new Field("result", new Null(), true, new Map([["vgi:any", "true"]]))
        : new Field("result", returns.arrowType(), true);
    return buildFunctionInfo(
      {
        name: this.name,
        functionType: "SCALAR",
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

  bindContext(call: BindCall): ScalarBindContext {
    const constants: Record<string, unknown> = {};
    this.definition.arguments
      .filter((arg) => arg.const === true)
      .forEach((arg, index) => {
        constants[arg.name] = call.positional[index] ?? null;
      });
    return {
      functionName: this.name,
      inputTypes: call.inputFields.map((field) => field.type),
      constants,
      settings: call.settings,
      secrets: call.secrets,
    };
  }

  outputType(call: BindCall): DataType {
    const bind = this.bindContext(call);
    this.definition.validate?.(bind);
    const { returns } = this.definition;
    if (typeof returns !== "function") return returns.arrowType();
    const decided = returns(bind);
    return isTypeLike(decided) ? decided.arrowType() : decided;
  }

  bind(call: BindCall): BindResultInput {
    const type = this.outputType(call);
    return {
      outputSchema: encodeSchema(new Schema([new Field("result", type, true)])),
      opaqueData: null,
      lookupSecretTypes: [],
      lookupScopes: [],
      lookupNames: [],
    };
  }

  open(call: BindCall, _init: InitRequest, ctx: CallContext): StreamCall {
    const type = this.outputType(call);
    return new ScalarExchange(this.definition, this.bindContext(call), type, ctx);
  }
}

/** Define a scalar function. */
export function scalarFunction(definition: ScalarFunctionDefinition): ScalarFunction {
  return new ScalarFunction(definition);
}

function isTypeLike(value: TypeLike | DataType): value is TypeLike {
  return typeof (value as TypeLike).arrowType === "function";
}
