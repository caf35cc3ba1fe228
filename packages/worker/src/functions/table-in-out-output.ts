/**
 * What a table-in-out function returned, shaped into one batch of the stream's output
 * schema. Arrow columns pass through by name without a copy (an echo moves the input's
 * buffers); plain JS values are built with the column type's builder. Types are checked
 * once per column type object, not per batch.
 */
import { RecordBatch, type Data, type DataType, type Schema } from "apache-arrow";
import {
  ErrorKind,
  TypeMismatchError,
  VgiError,
  makeRecordBatch,
  sqlTypeFromArrow,
} from "@vgi-ts/protocol";
import { buildColumn, sameLogicalType } from "./result-column.js";
import type { ScalarResult } from "./scalar-exchange.js";
import type { TableChunk } from "./table-call.js";

/**
 * One output batch with extras: `parentRows[i]` is the input row that produced output
 * row `i`, which a batched LATERAL join needs when a row transform emits more or fewer
 * rows than it received. `metadata` is written as the batch's custom metadata.
 */
export class TableInOutOutput {
  constructor(
    readonly rows: TableChunk,
    readonly parentRows: ArrayLike<number> | null = null,
    readonly metadata: ReadonlyMap<string, string> | null = null,
  ) {}
}

export class OutputShaper {
  /** Per output column, the last type object that passed the check. */
  private readonly checked: (DataType | null)[];
  /** Input schema object -> output column positions in it (-1: missing). */
  private lastSchema: Schema | null = null;
  private lastPositions: readonly number[] = [];
  private empty: RecordBatch | null = null;

  constructor(
    private readonly functionName: string,
    private readonly schema: Schema,
  ) {
    this.checked = schema.fields.map(() => null);
  }

  shape(chunk: TableChunk | null): RecordBatch {
    if (chunk === null) return this.emptyBatch();
    if (chunk instanceof RecordBatch) return this.fromBatch(chunk);
    return this.fromColumns(chunk);
  }

  withMetadata(batch: RecordBatch, metadata: Map<string, string>): RecordBatch {
    return makeRecordBatch(this.schema, batch.numRows, batch.data.children, metadata);
  }

  private emptyBatch(): RecordBatch {
    this.empty ??= makeRecordBatch(
      this.schema,
      0,
      this.schema.fields.map((field) => sqlTypeFromArrow(field.type, field.metadata).build([])),
    );
    return this.empty;
  }

  /** A record batch's columns, picked by output column name: no copy. */
  private fromBatch(batch: RecordBatch): RecordBatch {
    if (batch.schema !== this.lastSchema) {
      const names = batch.schema.fields.map((field) => field.name);
      this.lastPositions = this.schema.fields.map((field) => names.indexOf(field.name));
      this.lastSchema = batch.schema;
    }
    const children = batch.data.children;
    const out: Data[] = new Array<Data>(this.lastPositions.length);
    for (let i = 0; i < out.length; i++) {
      const position = this.lastPositions[i]!;
      if (position < 0) throw this.missing(i);
      out[i] = this.check(i, children[position]!);
    }
    return makeRecordBatch(this.schema, batch.numRows, out);
  }

  private fromColumns(columns: Readonly<Record<string, ScalarResult>>): RecordBatch {
    const fields = this.schema.fields;
    const out: Data[] = fields.map((field, index) => {
      const value = columns[field.name];
      if (value === undefined) throw this.missing(index);
      const data =
        Array.isArray(value) && !ArrayBuffer.isView(value)
          ? sqlTypeFromArrow(field.type, field.metadata).build(value as unknown[])
          : buildColumn(value, field.type, this.functionName);
      return this.check(index, data);
    });
    return makeRecordBatch(this.schema, out[0]?.length ?? 0, out);
  }

  private check(index: number, data: Data): Data {
    if (data.type === this.checked[index]) return this.checkLength(index, data);
    const field = this.schema.fields[index]!;
    if (!sameLogicalType(data.type, field.type)) {
      throw new TypeMismatchError(
        `table-in-out function ${this.functionName} produced ${String(data.type)} for column ` +
          `'${field.name}' but was bound to ${String(field.type)}`,
      );
    }
    this.checked[index] = data.type;
    return this.checkLength(index, data);
  }

  private firstLength = 0;

  private checkLength(index: number, data: Data): Data {
    if (index === 0) this.firstLength = data.length;
    else if (data.length !== this.firstLength) {
      const fields = this.schema.fields;
      throw new VgiError(
        ErrorKind.ContractViolation,
        `table-in-out function ${this.functionName}: column '${fields[index]!.name}' has ` +
          `${data.length} rows, column '${fields[0]!.name}' has ${this.firstLength}`,
      );
    }
    return data;
  }

  private missing(index: number): VgiError {
    return new VgiError(
      ErrorKind.ContractViolation,
      `table-in-out function ${this.functionName} produced no column ` +
        `'${this.schema.fields[index]!.name}'`,
    );
  }
}
