/**
 * Partition columns (Hive-style): a table function declares that each batch it produces
 * covers one partition of some columns (`partitionKind` + `partitionColumns`). The bind
 * schema marks those fields (`vgi.partition_column = "true"`), and every non-empty batch
 * carries the partition's `(min, max)` per column as a two-row Arrow IPC batch, base64,
 * in its `vgi_partition_values#b64` metadata. With SINGLE_VALUE_PARTITIONS DuckDB can
 * then aggregate `GROUP BY <partition columns>` per batch (PARTITIONED_AGGREGATE).
 *
 * Values are derived from the batch (a scan of the column's buffers) unless the chunk
 * names them with `withPartitionValues`, which a function must do when the column is not
 * in the batch (projected out) and may do to skip the scan.
 */
import { DataType, Field, RecordBatch, Schema, Struct, makeData, type Data } from "apache-arrow";
import { ErrorKind, VgiError, encodeBatch, sqlTypeFromArrow } from "@vgi-ts/protocol";
import { isValid } from "../filters/column-kernels.js";
import { takeRows } from "../filters/select-rows.js";

export type PartitionKind =
  "SINGLE_VALUE_PARTITIONS" | "DISJOINT_PARTITIONS" | "OVERLAPPING_PARTITIONS";

/** Field metadata key marking a partition column of the bind schema. */
export const PARTITION_COLUMN_KEY = "vgi.partition_column";
/** Batch metadata key of a batch's partition bounds. */
export const PARTITION_VALUES_KEY = "vgi_partition_values#b64";

/** Explicit bounds per partition column: `[min, max]` as values of the column's type. */
export type PartitionBounds = Readonly<Record<string, readonly [unknown, unknown]>>;

/** `schema` with the named fields marked as partition columns. */
export function markPartitionColumns(schema: Schema, names: readonly string[]): Schema {
  if (names.length === 0) return schema;
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  return new Schema(
    schema.fields.map((f) =>
      wanted.has(f.name.toLowerCase())
        ? new Field(
            f.name,
            f.type,
            f.nullable,
            new Map([...f.metadata, [PARTITION_COLUMN_KEY, "true"]]),
          )
        : f,
    ),
    schema.metadata,
  );
}

/** The partition metadata of one stream's batches. */
export class PartitionValues {
  constructor(
    private readonly functionName: string,
    /** The partition fields of the bind schema, in its order (empty: not partitioned). */
    private readonly fields: readonly Field[],
    private readonly kind: PartitionKind | null,
    /** Derive bounds from each batch; false: only explicit bounds are sent. */
    private readonly derive: boolean,
  ) {}

  /**
   * Checks a chunk before it is assembled: explicit bounds need partition columns, and a
   * partition column the chunk does not hold needs explicit bounds.
   */
  check(has: (column: string) => boolean, explicit: PartitionBounds | null): void {
    if (this.fields.length === 0) {
      if (explicit !== null) {
        throw new VgiError(
          ErrorKind.ContractViolation,
          `table function ${this.functionName}: withPartitionValues requires partition-annotated fields; ` +
            `declare partitionKind and partitionColumns`,
        );
      }
      return;
    }
    if (!this.derive) return;
    for (const field of this.fields) {
      if (explicit?.[field.name] === undefined && !has(field.name)) {
        throw new VgiError(
          ErrorKind.ContractViolation,
          `table function ${this.functionName}: column '${field.name}' is partition-annotated but absent from emitted batch; ` +
            `pass its bounds with withPartitionValues`,
        );
      }
    }
  }

  /** The metadata value for `batch` (null: none to send). */
  encode(batch: RecordBatch, explicit: PartitionBounds | null): string | null {
    if (this.fields.length === 0 || batch.numRows === 0) return null;
    if (!this.derive && explicit === null) return null;
    const children = this.fields.map((field) => {
      const bounds = explicit?.[field.name];
      if (bounds !== undefined) {
        return sqlTypeFromArrow(field.type, field.metadata).build([bounds[0], bounds[1]]);
      }
      const column = batch.getChild(field.name);
      if (column === null || column.data.length !== 1) {
        throw new VgiError(
          ErrorKind.ContractViolation,
          `table function ${this.functionName}: column '${field.name}' is partition-annotated but absent from emitted batch`,
        );
      }
      return this.bounds(field, column.data[0]!);
    });
    const schema = new Schema([...this.fields]);
    const struct = makeData({ type: new Struct(schema.fields), length: 2, children });
    return Buffer.from(encodeBatch(new RecordBatch(schema, struct))).toString("base64");
  }

  /** The column's (min, max) rows as a two-row column. */
  private bounds(field: Field, data: Data): Data {
    const [low, high] = minMaxRows(data);
    if (
      this.kind === "SINGLE_VALUE_PARTITIONS" &&
      low !== high &&
      rowOrder(data)(low, high) !== 0
    ) {
      throw new VgiError(
        ErrorKind.ContractViolation,
        `table function ${this.functionName}: column '${field.name}' has more than one distinct value ` +
          `in a batch; partitionKind SINGLE_VALUE_PARTITIONS requires 1`,
      );
    }
    const one = new Schema([field]);
    const batch = new RecordBatch(
      one,
      makeData({ type: new Struct([field]), length: data.length, children: [data] }),
    );
    return takeRows(batch, Int32Array.of(low, high)).getChildAt(0)!.data[0]!;
  }
}

/**
 * Rows holding the smallest and largest non-null value (both 0 when every value is
 * null: the partition is NULL). One pass over the column's buffers.
 */
export function minMaxRows(data: Data): [number, number] {
  const order = rowOrder(data);
  let low = -1;
  let high = -1;
  for (let i = 0; i < data.length; i++) {
    if (!isValid(data, i)) continue;
    if (low < 0) {
      low = high = i;
      continue;
    }
    if (order(i, low) < 0) low = i;
    else if (order(i, high) > 0) high = i;
  }
  return low < 0 ? [0, 0] : [low, high];
}

/** Orders two valid rows of one column by value (sign of the result); built once per column. */
export function rowOrder(data: Data): (a: number, b: number) => number {
  const type = data.type as DataType;
  const values = data.values as unknown;
  if ((values instanceof BigInt64Array || values instanceof BigUint64Array) && data.stride === 1) {
    // 64-bit integers as two 32-bit words: no BigInt per value.
    const words = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
    const signed = values instanceof BigInt64Array;
    return (a, b) => {
      const hiA = words[a * 2 + 1]!;
      const hiB = words[b * 2 + 1]!;
      if (hiA !== hiB) return (signed ? hiA < hiB : hiA >>> 0 < hiB >>> 0) ? -1 : 1;
      const loA = words[a * 2]! >>> 0;
      const loB = words[b * 2]! >>> 0;
      return loA < loB ? -1 : loA > loB ? 1 : 0;
    };
  }
  if (
    (DataType.isInt(type) ||
      DataType.isFloat(type) ||
      DataType.isDate(type) ||
      DataType.isTime(type)) &&
    data.stride === 1 &&
    ArrayBuffer.isView(values)
  ) {
    const numbers = values as unknown as ArrayLike<number>;
    return (a, b) => {
      const x = numbers[a]!;
      const y = numbers[b]!;
      return x < y ? -1 : x > y ? 1 : 0;
    };
  }
  if (DataType.isUtf8(type) || DataType.isBinary(type)) {
    // UTF-8 byte order is code point order: what DuckDB compares strings by.
    const offsets = data.valueOffsets as Int32Array;
    const bytes = data.values as Uint8Array;
    return (a, b) =>
      Buffer.compare(
        bytes.subarray(offsets[a]!, offsets[a + 1]!),
        bytes.subarray(offsets[b]!, offsets[b + 1]!),
      );
  }
  if (DataType.isBool(type)) {
    const bits = data.values as Uint8Array;
    const bit = (i: number): number => {
      const at = data.offset + i;
      return (bits[at >> 3]! >> (at & 7)) & 1;
    };
    return (a, b) => bit(a) - bit(b);
  }
  const read = sqlTypeFromArrow(type).reader(data);
  return (a, b) => {
    const x = read(a) as unknown;
    const y = read(b) as unknown;
    if (
      (typeof x === "number" || typeof x === "bigint" || typeof x === "string") &&
      typeof y === typeof x
    ) {
      return (x as number) < (y as number) ? -1 : (x as number) > (y as number) ? 1 : 0;
    }
    throw new VgiError(
      ErrorKind.InvalidArgument,
      `partition bounds of ${String(type)} columns cannot be derived; pass them with withPartitionValues`,
    );
  };
}
