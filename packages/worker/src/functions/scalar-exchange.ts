/**
 * The exchange half of a scalar call: each input batch (the non-constant arguments as
 * columns `col_0..`) becomes one output batch with a single `result` column of the
 * bound type and the same row count. Contract violations become typed errors that
 * name the function, what was expected and what arrived.
 */
import {
  Field,
  Schema,
  type Data,
  type RecordBatch,
  type DataType,
  type Vector,
} from "apache-arrow";
import {
  ErrorKind,
  TypeMismatchError,
  VgiError,
  makeRecordBatch,
  sqlTypeFromArrow,
  type LogLevel,
  type RowReader,
} from "@vgi-ts/protocol";
import type { CallContext } from "../rpc/call-context.js";
import type { StreamCall } from "../rpc/method.js";
import type { ArgumentSpec } from "./argument-spec.js";
import { freshArray, type TypedArrayType } from "./output-arena.js";
import { buildColumn, describeType, sameLogicalType } from "./result-column.js";
import type { ScalarBindContext, ScalarFunctionDefinition } from "./scalar-function.js";

export interface ScalarInput {
  readonly numRows: number;
  /** Column arguments in declaration order, varargs expanded into several columns. */
  readonly columns: readonly Vector[];
  /** Constant argument values by argument name. */
  readonly constants: Readonly<Record<string, unknown>>;
  /** The column of a (non-varargs) argument by name. */
  column(name: string): Vector;
  /** The columns bound to the trailing varargs argument. */
  readonly varargs: readonly Vector[];
}

export interface FunctionContext {
  readonly functionName: string;
  readonly settings: ReadonlyMap<string, unknown>;
  readonly secrets: ReadonlyMap<string, unknown>;
  /** The bound result type. */
  readonly resultType: DataType;
  /** The bound result field (type plus metadata such as Arrow extension names). */
  readonly resultField: Field;
  log(level: LogLevel, message: string, extra?: Record<string, unknown>): void;
  /**
   * A zeroed typed array for an output column, like `new type(length)`. Streams that
   * produce batches (table functions) may hand out the memory of an earlier batch once
   * the transport has written it, saving page faults and keeping RSS flat: so return
   * the array in this turn's output and do not keep it (or views of it) afterwards.
   */
  allocate<T extends ArrayBufferView>(type: TypedArrayType<T>, length: number): T;
}

/** A result column: an Arrow vector or data, a typed array, or plain JS values. */
export type ScalarResult = Vector | Data | ArrayLike<unknown> | readonly unknown[];
export type ScalarCompute = (
  input: ScalarInput,
  ctx: FunctionContext,
) => ScalarResult | Promise<ScalarResult>;
/** Row form: constants and column values in declaration order (varargs spread last). */
export type ScalarRow = (...args: never[]) => unknown;

export class ScalarExchange implements StreamCall {
  readonly header = null;
  readonly outputSchema: Schema;
  private readonly context: FunctionContext;
  private readonly columnArgs: readonly ArgumentSpec[];
  private readonly resultType: DataType;
  /** Column arguments before the varargs, and their lower-cased names. */
  private readonly fixedCount: number;
  private readonly fixedNames: readonly string[];
  /** The last result type object that passed the type check (hot path: skip it). */
  private checkedType: DataType | null = null;

  constructor(
    private readonly definition: ScalarFunctionDefinition,
    private readonly bind: ScalarBindContext,
    resultField: Field,
    callContext: CallContext,
    /** `vgi.cache.*` metadata put on every output batch (the function's cache control). */
    private readonly batchMetadata: Map<string, string> | null = null,
  ) {
    this.resultType = resultField.type;
    this.outputSchema = new Schema([resultField]);
    this.columnArgs = definition.arguments.filter((arg) => arg.const !== true);
    this.fixedCount = this.columnArgs.filter((arg) => arg.varargs !== true).length;
    this.fixedNames = this.columnArgs.slice(0, this.fixedCount).map((a) => a.name.toLowerCase());
    this.context = {
      functionName: definition.name,
      settings: bind.settings,
      secrets: bind.secrets,
      resultType: resultField.type,
      resultField,
      log: (level, message, extra) => callContext.log(level, message, extra),
      allocate: freshArray,
    };
  }

  async turn(input: RecordBatch): Promise<RecordBatch> {
    const numRows = input.numRows;
    const columns = input.schema.fields.map((_, index) => input.getChildAt(index)!);
    let result: ScalarResult;
    try {
      result =
        this.definition.compute !== undefined
          ? await this.definition.compute(this.scalarInput(numRows, columns), this.context)
          : this.computeRows(numRows, input);
    } catch (error) {
      if (error instanceof VgiError) throw error;
      throw new VgiError(ErrorKind.FunctionError, errorText(error), { cause: error });
    }
    const data = buildColumn(result, this.resultType, this.definition.name);
    if (data.length !== numRows) {
      throw new VgiError(
        ErrorKind.ContractViolation,
        `scalar function ${this.definition.name} returned ${data.length} rows for a batch of ${numRows} ` +
          `(scalar results must match the input row count)`,
      );
    }
    if (data.type !== this.checkedType) {
      if (!sameLogicalType(data.type, this.resultType)) {
        throw new TypeMismatchError(
          `scalar function ${this.definition.name} returned ${describeType(data.type)} ` +
            `but was bound to return ${describeType(this.resultType)}`,
        );
      }
      this.checkedType = data.type;
    }
    // Not `new RecordBatch`: that clones the schema per batch (see makeRecordBatch).
    return this.batchMetadata === null
      ? makeRecordBatch(this.outputSchema, numRows, [data])
      : makeRecordBatch(this.outputSchema, numRows, [data], this.batchMetadata);
  }

  private scalarInput(numRows: number, columns: readonly Vector[]): ScalarInput {
    const { fixedCount, fixedNames } = this;
    return {
      numRows,
      columns,
      constants: this.bind.constants,
      varargs: fixedCount === columns.length ? [] : columns.slice(fixedCount),
      column: (name) => {
        const index = fixedNames.indexOf(name.toLowerCase());
        const column = index < 0 ? undefined : columns[index];
        if (column === undefined)
          throw new Error(`function ${this.definition.name} has no column argument '${name}'`);
        return column;
      },
    };
  }

  /**
   * The row form: each column is read with the declared argument type's reader (or the
   * one its Arrow type implies), and the results are built with the result type's
   * builder. Default null handling returns NULL when any column value is NULL.
   */
  private computeRows(numRows: number, input: RecordBatch): Data {
    const row = this.definition.row as (...args: unknown[]) => unknown;
    const skipNulls = (this.definition.nullHandling ?? "default") === "default";
    const readers = this.columnReaders(input);
    const slots = this.definition.arguments;
    const out = new Array<unknown>(numRows);
    const args: unknown[] = [];
    for (let i = 0; i < numRows; i++) {
      args.length = 0;
      let column = 0;
      let hasNull = false;
      for (const slot of slots) {
        if (slot.const === true) {
          const value = this.bind.constants[slot.name] ?? null;
          if (value === null) hasNull = true;
          args.push(value);
          continue;
        }
        const count = slot.varargs === true ? readers.length - column : 1;
        for (let k = 0; k < count; k++) {
          const value = readers[column++]!(i);
          if (value === null) hasNull = true;
          args.push(value);
        }
      }
      out[i] = hasNull && skipNulls ? null : row(...args);
    }
    const resultField = this.outputSchema.fields[0]!;
    return sqlTypeFromArrow(resultField.type, resultField.metadata).build(out);
  }

  private columnReaders(input: RecordBatch): RowReader<unknown>[] {
    const declared = this.columnArgs;
    return input.schema.fields.map((field, index) => {
      const column = input.getChildAt(index)!;
      const spec = declared[Math.min(index, declared.length - 1)];
      const type = spec?.type as { accepts?: (t: DataType) => boolean } | undefined;
      const descriptor =
        type !== undefined && typeof type.accepts === "function" && type.accepts(field.type)
          ? (type as unknown as ReturnType<typeof sqlTypeFromArrow>)
          : sqlTypeFromArrow(field.type, field.metadata);
      return descriptor.reader(column);
    });
  }
}

function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
