import { RecordBatch, Schema, Struct, Vector, makeData } from "apache-arrow";
import { MalformedRequestError, TypeMismatchError, VgiError } from "../errors.js";
import { decodeStream } from "../ipc/ipc-bytes.js";
import { encodeStream } from "../ipc/stream-encoder.js";
import { buildData } from "./columns.js";
import { writeRowStreams } from "./row-streams.js";
import { CodecIssue, formatPath } from "./issue.js";
import {
  arrowFields,
  checkFields,
  compileShape,
  fieldFromArrow,
  type CompiledField,
  type Shape,
  type ShapeInput,
  type ShapeOutput,
} from "./shape.js";

/**
 * Encodes and decodes one VGI message type. `T` is the decoded shape, `TIn` what
 * encoding accepts (nullable fields optional, int64 as number or bigint, ...).
 */
export interface MessageCodec<T, TIn = T> {
  /** The wire type name (`BindRequest`), used in every error message. */
  readonly name: string;
  /** The Arrow schema: exact field order, names, types and nullability. */
  readonly schema: Schema;
  readonly fields: readonly CompiledField[];
  /** One row per value, built column by column. A single value gives a 1-row batch. */
  encode(values: TIn | readonly TIn[]): RecordBatch;
  /** All rows. Fields are matched by name; extra incoming fields are ignored. */
  decode(batch: RecordBatch): T[];
  decodeRow(batch: RecordBatch, index: number): T;
  /** A complete IPC stream: schema, one 1-row batch, EOS. */
  toIpc(value: TIn): Uint8Array;
  /** `values.map(toIpc)`, but building the columns and the shared IPC prefix once. */
  toIpcMany(values: readonly TIn[]): Uint8Array[];
  /**
   * `toIpcMany` of `count` values asked for a chunk at a time (`valueAt(0)`, ...), so a
   * listing of thousands never holds all its described objects at once.
   */
  toIpcEach(count: number, valueAt: (index: number) => TIn): Uint8Array[];
  /** Inverse of `toIpc`; anything but exactly one row is a MalformedRequestError. */
  fromIpc(bytes: Uint8Array): T;
}

/** The decoded TS type of a codec (like zod's `z.infer`). */
export type Infer<C> = C extends MessageCodec<infer T, infer _TIn> ? T : never;
/** The TS type a codec's `encode` accepts. */
export type InferInput<C> = C extends MessageCodec<infer _T, infer TIn> ? TIn : never;

interface ColumnPlan {
  readonly field: CompiledField;
  /** Index of the incoming column with this name, or -1 if absent (nullable only). */
  readonly index: number;
}

class DefinedMessage<S extends Shape> implements MessageCodec<ShapeOutput<S>, ShapeInput<S>> {
  readonly schema: Schema;
  readonly fields: readonly CompiledField[];
  /** Validation result per incoming schema; schemas are shared by batches of a stream. */
  private readonly plans = new WeakMap<Schema, ColumnPlan[] | string>();

  constructor(
    readonly name: string,
    shape: S,
  ) {
    this.fields = compileShape(shape);
    this.schema = new Schema(arrowFields(this.fields));
  }

  encode(values: ShapeInput<S> | readonly ShapeInput<S>[]): RecordBatch {
    const rows: readonly unknown[] = Array.isArray(values) ? values : [values];
    const children = this.fields.map((f, col) =>
      // The schema's own DataType instance, so dictionary ids line up with the schema.
      buildData(this.schema.fields[col]!.type, this.normalize(f, rows)),
    );
    const data = makeData({
      type: new Struct(this.schema.fields),
      length: rows.length,
      nullCount: 0,
      children,
    });
    return new RecordBatch(this.schema, data);
  }

  /** Validate column `f` of every row; return the builder-ready values (null for null). */
  private normalize(
    f: CompiledField,
    rows: readonly unknown[],
    /** Where `rows` start among `total` rows (error messages name the row). */
    first = 0,
    total = rows.length,
  ): unknown[] {
    const values = new Array<unknown>(rows.length);
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r];
      if (typeof row !== "object" || row === null || Array.isArray(row)) {
        throw new TypeMismatchError(
          `${this.name}: ${rowLabel(first + r, total)}expected an object`,
        );
      }
      const v = (row as Record<string, unknown>)[f.key];
      try {
        if (v === null || v === undefined) {
          if (!f.type.isNullable) {
            throw new CodecIssue(
              `expected non-null ${f.type.describe()}, got ${v === null ? "null" : "undefined"}`,
            );
          }
          values[r] = null;
        } else {
          values[r] = f.type.toArrow(v);
        }
      } catch (error) {
        throw this.failure(error, [f.wireName], "encode", rowLabel(first + r, total));
      }
    }
    return values;
  }

  decode(batch: RecordBatch): ShapeOutput<S>[] {
    const plan = this.plan(batch);
    const out = new Array<ShapeOutput<S>>(batch.numRows);
    for (let r = 0; r < batch.numRows; r++) out[r] = this.readRow(batch, plan, r);
    return out;
  }

  decodeRow(batch: RecordBatch, index: number): ShapeOutput<S> {
    // WIRE_PROTOCOL §5: row counts are not enforced on zero-field schemas.
    if (this.fields.length === 0) return {} as ShapeOutput<S>;
    if (!Number.isInteger(index) || index < 0 || index >= batch.numRows) {
      throw new MalformedRequestError(
        `${this.name}: row ${index} out of range (batch has ${batch.numRows} rows)`,
      );
    }
    return this.readRow(batch, this.plan(batch), index);
  }

  toIpc(value: ShapeInput<S>): Uint8Array {
    // The stream encoder caches the schema message per codec schema: only the batch is new.
    return encodeStream(this.schema, [this.encode(value)]);
  }

  toIpcMany(values: readonly ShapeInput<S>[]): Uint8Array[] {
    return this.toIpcEach(values.length, (index) => values[index]!);
  }

  toIpcEach(count: number, valueAt: (index: number) => ShapeInput<S>): Uint8Array[] {
    if (count === 0) return [];
    if (count === 1) return [this.toIpc(valueAt(0))];
    return writeRowStreams(this.schema, count, (start, end) => {
      const rows = new Array<ShapeInput<S>>(end - start);
      for (let i = start; i < end; i++) rows[i - start] = valueAt(i);
      return this.fields.map((f) => this.normalize(f, rows, start, count));
    });
  }

  fromIpc(bytes: Uint8Array): ShapeOutput<S> {
    if (!(bytes instanceof Uint8Array)) {
      throw new MalformedRequestError(
        `${this.name}: expected Arrow IPC bytes, got ${typeof bytes}`,
      );
    }
    let batches: RecordBatch[];
    try {
      // Our decoder, not arrow-js's RecordBatchReader: it bounds-checks the flatbuffers
      // (a corrupt vector length made arrow-js's reader exhaust the heap).
      batches = decodeStream(bytes, this.name).batches;
    } catch (error) {
      throw new MalformedRequestError(
        `${this.name}: not a readable Arrow IPC stream: ${errorText(error)}`,
        {
          cause: error,
        },
      );
    }
    const rows = batches.reduce((n, b) => n + b.numRows, 0);
    const withRow = batches.find((b) => b.numRows > 0);
    if (this.fields.length === 0) {
      // WIRE_PROTOCOL §5: row counts are not enforced on zero-field schemas.
      return {} as ShapeOutput<S>;
    }
    if (rows !== 1 || withRow === undefined) {
      throw new MalformedRequestError(`${this.name}: expected exactly one row, got ${rows}`);
    }
    return this.decodeRow(withRow, 0);
  }

  private plan(batch: RecordBatch): ColumnPlan[] {
    let plan = this.plans.get(batch.schema);
    if (plan === undefined) {
      const problem = checkFields(this.fields, batch.schema.fields);
      plan =
        problem === undefined
          ? this.fields.map((field) => ({
              field,
              index: batch.schema.fields.findIndex((x) => x.name === field.wireName),
            }))
          : `field '${problem.wireName}': ${problem.problem}`;
      this.plans.set(batch.schema, plan);
    }
    if (typeof plan === "string") throw new MalformedRequestError(`${this.name}: ${plan}`);
    return plan;
  }

  private readRow(batch: RecordBatch, plan: ColumnPlan[], r: number): ShapeOutput<S> {
    const out: Record<string, unknown> = {};
    for (const { field, index } of plan) {
      try {
        const column: Vector | null = index < 0 ? null : batch.getChildAt(index);
        const v: unknown = column === null ? null : column.get(r);
        out[field.key] = fieldFromArrow(field, v);
      } catch (error) {
        // fieldFromArrow already put the wire name on issues; anything else (Arrow
        // tripping over corrupt buffers) happened while reading this field.
        const path = error instanceof CodecIssue ? [] : [field.wireName];
        throw this.failure(error, path, "decode", rowLabel(r, batch.numRows));
      }
    }
    return out as ShapeOutput<S>;
  }

  /** Turn whatever was thrown into the public error for this direction. */
  private failure(
    error: unknown,
    path: string[],
    direction: "encode" | "decode",
    row: string,
  ): VgiError {
    const ErrorClass = direction === "encode" ? TypeMismatchError : MalformedRequestError;
    if (error instanceof CodecIssue) {
      const where = formatPath([...path, ...error.path]);
      return new ErrorClass(`${this.name}: ${row}field '${where}': ${error.detail}`);
    }
    if (error instanceof VgiError) return error;
    const where = formatPath(path);
    return new ErrorClass(`${this.name}: ${row}field '${where}': ${errorText(error)}`, {
      cause: error,
    });
  }
}

function rowLabel(r: number, total: number): string {
  return total > 1 ? `row ${r}: ` : "";
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Declare a message once; get its Arrow schema, its TS types and its codec.
 *
 * @example
 * const PingCodec = defineMessage("Ping", { attachOpaqueData: binary, note: utf8.nullable() });
 * type Ping = Infer<typeof PingCodec>; // { attachOpaqueData: Uint8Array; note: string | null }
 * const bytes = PingCodec.toIpc({ attachOpaqueData: new Uint8Array([1]) });
 */
export function defineMessage<S extends Shape>(
  name: string,
  shape: S,
): MessageCodec<ShapeOutput<S>, ShapeInput<S>> {
  return new DefinedMessage(name, shape);
}
