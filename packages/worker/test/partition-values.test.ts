/**
 * Partition bounds of produced batches: min/max rows found on the buffers per type
 * family, the two-row IPC batch a batch carries, and the contract errors.
 */
import { describe, expect, test } from "vitest";
import {
  Bool,
  Field,
  Float64,
  Int32,
  Int64,
  RecordBatch,
  Schema,
  Struct,
  Uint64,
  Utf8,
  makeData,
  vectorFromArray,
  type Data,
  type DataType,
} from "apache-arrow";
import { ErrorKind, VgiError, decodeSingleBatch } from "@vgi-ts/protocol";
import { sql } from "@vgi-ts/protocol";
import {
  PARTITION_COLUMN_KEY,
  markPartitionColumns,
  minMaxRows,
  tableFunction,
} from "@vgi-ts/worker";
import { PartitionValues } from "../src/functions/partition-values.js";

const column = (values: unknown[], type: DataType): Data => vectorFromArray(values, type).data[0]!;

function batchOf(columns: Record<string, Data>): RecordBatch {
  const fields = Object.entries(columns).map(([name, d]) => new Field(name, d.type, true));
  const children = Object.values(columns);
  return new RecordBatch(
    new Schema(fields),
    makeData({ type: new Struct(fields), length: children[0]!.length, children }),
  );
}

function thrownKind(call: () => unknown): string | null {
  try {
    call();
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(VgiError);
    return (error as VgiError).kind;
  }
}

describe("minMaxRows", () => {
  test("64-bit integers compare as words: signed across zero and beyond 2^53, unsigned high bit", () => {
    expect(
      minMaxRows(column([5n, -(2n ** 60n), 2n ** 60n + 1n, 2n ** 60n, -1n], new Int64())),
    ).toEqual([1, 2]);
    expect(minMaxRows(column([1n, 2n ** 63n, 7n], new Uint64()))).toEqual([0, 1]);
  });

  test("narrow numbers, doubles, booleans and UTF-8 strings by byte order; nulls skipped", () => {
    expect(minMaxRows(column([null, 3, -4, 9, null], new Int32()))).toEqual([2, 3]);
    expect(minMaxRows(column([0.5, -1.25, 2.75], new Float64()))).toEqual([1, 2]);
    expect(minMaxRows(column([true, false, true], new Bool()))).toEqual([1, 0]);
    // 'é' (U+00E9) sorts after 'z' by code point, as DuckDB orders strings.
    expect(minMaxRows(column(["m", "é", null, "a", "z"], new Utf8()))).toEqual([3, 1]);
  });

  test("an all-NULL column is one NULL partition", () => {
    expect(minMaxRows(column([null, null], new Utf8()))).toEqual([0, 0]);
  });
});

describe("PartitionValues", () => {
  const country = new Field("country", new Utf8(), true);
  const key = new Field("key", new Int64(), true);

  test("encodes each partition column's [min, max] as a two-row IPC batch in bind order", () => {
    const values = new PartitionValues("f", [country, key], "DISJOINT_PARTITIONS", true);
    const batch = batchOf({
      key: column([30n, 10n, 20n], new Int64()),
      country: column(["FR", "FR", "FR"], new Utf8()),
    });
    const decoded = decodeSingleBatch(Buffer.from(values.encode(batch, null)!, "base64"));
    expect(decoded.schema.fields.map((f) => f.name)).toEqual(["country", "key"]);
    expect(decoded.numRows).toBe(2);
    expect([decoded.getChild("country")!.get(0), decoded.getChild("country")!.get(1)]).toEqual([
      "FR",
      "FR",
    ]);
    expect([decoded.getChild("key")!.get(0), decoded.getChild("key")!.get(1)]).toEqual([10n, 30n]);
  });

  test("explicit bounds are sent as given; empty batches and unpartitioned functions send none", () => {
    const values = new PartitionValues("f", [country], "SINGLE_VALUE_PARTITIONS", true);
    const batch = batchOf({ country: column(["US"], new Utf8()) });
    const named = decodeSingleBatch(
      Buffer.from(values.encode(batch, { country: ["AA", "ZZ"] })!, "base64"),
    );
    expect(named.getChild("country")!.get(1)).toBe("ZZ");
    expect(values.encode(batchOf({ country: column([], new Utf8()) }), null)).toBeNull();
    expect(new PartitionValues("f", [], null, true).encode(batch, null)).toBeNull();
    // Derivation off: only named bounds travel.
    expect(
      new PartitionValues("f", [country], "SINGLE_VALUE_PARTITIONS", false).encode(batch, null),
    ).toBeNull();
  });

  test("contract errors: two values in a SINGLE_VALUE batch, bounds without partition columns, a missing column", () => {
    const single = new PartitionValues("f", [country], "SINGLE_VALUE_PARTITIONS", true);
    expect(
      thrownKind(() => single.encode(batchOf({ country: column(["US", "BR"], new Utf8()) }), null)),
    ).toBe(ErrorKind.ContractViolation);
    expect(
      thrownKind(() =>
        new PartitionValues("f", [], null, true).check(() => true, { country: ["US", "US"] }),
      ),
    ).toBe(ErrorKind.ContractViolation);
    expect(thrownKind(() => single.check(() => false, null))).toBe(ErrorKind.ContractViolation);
    // Named bounds stand in for a projected-out column.
    expect(thrownKind(() => single.check(() => false, { country: ["US", "US"] }))).toBeNull();
  });

  test("markPartitionColumns flags the named fields only", () => {
    const schema = markPartitionColumns(new Schema([country, key]), ["COUNTRY"]);
    expect(schema.fields[0]!.metadata.get(PARTITION_COLUMN_KEY)).toBe("true");
    expect(schema.fields[1]!.metadata.has(PARTITION_COLUMN_KEY)).toBe(false);
  });
});

describe("declaring partition columns", () => {
  const base = {
    name: "p",
    arguments: [],
    columns: { region: sql.varchar, v: sql.bigint },
    start: () => null,
    produce: () => null,
  };

  test("kind and columns go together, and the columns must be output columns", () => {
    expect(
      thrownKind(() => tableFunction({ ...base, partitionKind: "SINGLE_VALUE_PARTITIONS" })),
    ).toBe(ErrorKind.InvalidArgument);
    expect(thrownKind(() => tableFunction({ ...base, partitionColumns: ["region"] }))).toBe(
      ErrorKind.InvalidArgument,
    );
    expect(
      thrownKind(() =>
        tableFunction({
          ...base,
          partitionKind: "DISJOINT_PARTITIONS",
          partitionColumns: ["nope"],
        }),
      ),
    ).toBe(ErrorKind.InvalidArgument);
  });

  test("FunctionInfo carries the kind and the output schema marks the columns", () => {
    const fn = tableFunction({
      ...base,
      partitionKind: "SINGLE_VALUE_PARTITIONS",
      partitionColumns: ["region"],
    });
    const info = fn.describe(["main"]);
    expect(info.partitionKind).toBe("SINGLE_VALUE_PARTITIONS");
  });
});
