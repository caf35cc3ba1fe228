import { describe, expect, it } from "vitest";
import { SparseUnion, Type } from "apache-arrow";
import {
  ErrorKind,
  VgiError,
  decodeSingleBatch,
  encodeColumnStatistics,
  sql,
} from "../src/index.js";

describe("encodeColumnStatistics", () => {
  it("writes one row per column with min/max as a sparse union of the distinct value types", () => {
    const bytes = encodeColumnStatistics(
      [
        { column: "id", type: sql.bigint, min: 1n, max: 10n, hasNull: false, distinctCount: 10 },
        {
          column: "name",
          type: sql.varchar,
          min: "Accounting",
          max: "Sales",
          hasNull: false,
          containsUnicode: false,
          maxStringLength: 20,
        },
        { column: "other_id", type: sql.bigint, min: -5n, max: null },
      ],
      { cacheMaxAgeSeconds: 3600 },
    );
    const batch = decodeSingleBatch(bytes);
    expect(batch.schema.fields.map((f) => f.name)).toEqual([
      "column_name",
      "min",
      "max",
      "has_null",
      "has_not_null",
      "distinct_count",
      "contains_unicode",
      "max_string_length",
    ]);
    const union = batch.schema.fields[1]!.type as SparseUnion;
    expect(union.typeId).toBe(Type.Union);
    // Two BIGINT columns share one member; VARCHAR is the second.
    expect(union.children.map((f) => [f.name, String(f.type)])).toEqual([
      ["0", "Int64"],
      ["1", "Utf8"],
    ]);
    expect(batch.metadata.get("cache_max_age_seconds")).toBe("3600");
    const col = (name: string): unknown[] => {
      const child = batch.getChild(name)!;
      return Array.from({ length: child.length }, (_, i) => child.get(i) as unknown);
    };
    expect([...col("column_name")]).toEqual(["id", "name", "other_id"]);
    expect([...col("min")]).toEqual([1n, "Accounting", -5n]);
    expect([...col("max")]).toEqual([10n, "Sales", null]);
    expect([...col("has_null")]).toEqual([false, false, true]);
    expect([...col("has_not_null")]).toEqual([true, true, true]);
    expect([...col("distinct_count")]).toEqual([10n, null, null]);
    expect([...col("contains_unicode")]).toEqual([null, false, null]);
    expect([...col("max_string_length")]).toEqual([null, 20n, null]);
  });

  it("keeps types that differ only in parameters apart (DECIMAL scale, timestamp unit)", () => {
    const bytes = encodeColumnStatistics([
      { column: "a", type: sql.decimal(10, 2), min: "1.50", max: "2.25" },
      { column: "b", type: sql.decimal(10, 3), min: "0.125", max: "9.000" },
    ]);
    const batch = decodeSingleBatch(bytes);
    expect((batch.schema.fields[1]!.type as SparseUnion).children).toHaveLength(2);
    expect(batch.getChild("max")!.get(1)).not.toBeNull();
  });

  it("encodes an empty list as a zero-row batch with the same columns and no metadata", () => {
    const batch = decodeSingleBatch(encodeColumnStatistics([]));
    expect(batch.numRows).toBe(0);
    expect(batch.schema.fields).toHaveLength(8);
    expect(batch.metadata.size).toBe(0);
  });

  it("refuses negative or fractional counts and a bad cache lifetime with InvalidArgument", () => {
    const bad = [
      () => encodeColumnStatistics([{ column: "x", type: sql.bigint, distinctCount: -1 }]),
      () => encodeColumnStatistics([{ column: "x", type: sql.varchar, maxStringLength: 1.5 }]),
      () => encodeColumnStatistics([], { cacheMaxAgeSeconds: -3 }),
    ];
    for (const call of bad) {
      expect(call).toThrow(VgiError);
      try {
        call();
      } catch (error) {
        expect((error as VgiError).kind).toBe(ErrorKind.InvalidArgument);
      }
    }
  });
});
