/**
 * Pushdown filters, comparison kernels by column type: every integer width (int64
 * beyond 2^53, uint64), floats with NaN ordering, decimals and hugeints, strings and
 * blobs by UTF-8 bytes, temporal types, uuid, enums and dictionary-encoded VARCHAR —
 * checked against what DuckDB answers for the same predicate.
 */
import { describe, expect, test } from "vitest";
import { Field, RecordBatch, Schema, Struct, makeData } from "apache-arrow";
import { sql } from "@vgi-ts/protocol";
import { batchOf, cmp, col, lit, passing, payload, where } from "./pushdown-filter-builders.js";

describe("comparison kernels by type", () => {
  test("integers of every width, including int64 beyond 2^53 and uint64", () => {
    const big = [-(2n ** 63n), -1n, 0n, 2n ** 53n + 1n, 2n ** 63n - 1n, null];
    expect(where(sql.bigint, big, "gt", 2n ** 53n)).toEqual([3, 4]);
    expect(where(sql.bigint, big, "le", -1n)).toEqual([0, 1]);
    expect(where(sql.bigint, big, "eq", 2n ** 53n + 1n)).toEqual([3]);
    expect(where(sql.ubigint, [0n, 2n ** 63n, 2n ** 64n - 1n], "gt", 2n ** 62n)).toEqual([1, 2]);
    expect(where(sql.tinyint, [-128, 0, 127, null], "ne", 0)).toEqual([0, 2]);
    expect(where(sql.integer, [1, 2, 3], "ge", 2)).toEqual([1, 2]);
    expect(where(sql.usmallint, [1, 65535], "lt", 65535)).toEqual([0]);
  });

  test("floats: NaN is the greatest value and equals itself", () => {
    const values = [-Infinity, -0, 0, 1.5, NaN, Infinity, null];
    expect(where(sql.double, values, "eq", 0)).toEqual([1, 2]);
    expect(where(sql.double, values, "gt", 1.5)).toEqual([4, 5]);
    expect(where(sql.double, values, "eq", NaN)).toEqual([4]);
    expect(where(sql.double, values, "lt", NaN)).toEqual([0, 1, 2, 3, 5]);
    expect(where(sql.float, [0.5, 2.5], "gt", 1)).toEqual([1]);
  });

  test("decimals and hugeints compare exactly", () => {
    const d = sql.decimal(38, 4);
    expect(
      where(d, ["-1.0000", "0.0001", "12345678901234567890.1234", null], "gt", "0.0000"),
    ).toEqual([1, 2]);
    expect(where(sql.decimal(9, 2), ["1.50", "1.51"], "eq", "1.51")).toEqual([1]);
    const huge = [-(2n ** 127n), -1n, 2n ** 100n, 2n ** 127n - 1n];
    expect(where(sql.hugeint, huge, "ge", 2n ** 100n)).toEqual([2, 3]);
    expect(where(sql.hugeint, huge, "lt", 0n)).toEqual([0, 1]);
    expect(where(sql.uhugeint, [0n, 2n ** 128n - 1n], "gt", 1n)).toEqual([1]);
  });

  test("strings and blobs by UTF-8 bytes; booleans", () => {
    const s = ["", "a", "ab", "b", "é", "😀", "\uffff", null];
    expect(where(sql.varchar, s, "gt", "ab")).toEqual([3, 4, 5, 6]);
    // U+FFFF (EF BF BF) sorts before U+1F600 (F0 ...) in UTF-8, after it in UTF-16.
    expect(where(sql.varchar, s, "lt", "😀")).toEqual([0, 1, 2, 3, 4, 6]);
    expect(where(sql.varchar, s, "eq", "")).toEqual([0]);
    const blobs = [new Uint8Array([0]), new Uint8Array([0, 1]), new Uint8Array([255]), null];
    expect(where(sql.blob, blobs, "ge", new Uint8Array([0, 1]))).toEqual([1, 2]);
    expect(where(sql.boolean, [true, false, null], "eq", true)).toEqual([0]);
    expect(where(sql.boolean, [true, false, null], "lt", true)).toEqual([1]);
  });

  test("temporal: date, timestamp, time, time with time zone", () => {
    expect(where(sql.date, [0, 19000, -5, null], "ge", 0)).toEqual([0, 1]);
    expect(where(sql.timestamp, [0n, 1_700_000_000_000_000n, null], "lt", 1n)).toEqual([0]);
    expect(where(sql.time, [0, 43_200_000_000, 86_399_000_000], "gt", 43_200_000_000)).toEqual([2]);
    const tz = [
      { micros: 3_600_000_000, offset: 3600 },
      { micros: 3_600_000_000, offset: 0 },
    ];
    // 01:00+01 is 00:00 UTC, earlier than 01:00+00.
    expect(where(sql.timeTz, tz, "lt", { micros: 1_800_000_000, offset: 0 })).toEqual([0]);
  });

  test("uuid (arrow.uuid bytes) and enums (dictionary)", () => {
    const u = [
      "00000000-0000-0000-0000-000000000001",
      "ffffffff-0000-0000-0000-000000000000",
      null,
    ];
    expect(where(sql.uuid, u, "gt", "80000000-0000-0000-0000-000000000000")).toEqual([1]);
    const mood = sql.enum(["sad", "ok", "happy"]);
    expect(where(mood, ["sad", "happy", null, "ok"], "eq", "happy")).toEqual([1]);
  });

  test("dictionary-encoded VARCHAR against a plain VARCHAR literal", () => {
    const batch = batchOf({ n: { type: sql.bigint, values: [0n, 1n, 2n, 3n] } });
    const dictType = sql.enum(["red", "green", "blue"]);
    const data = dictType.build(["red", "green", "blue", "green"]);
    const field = new Field("s", data.type, true);
    const fields = [...batch.schema.fields, field];
    const both = new RecordBatch(
      new Schema(fields),
      makeData({ type: new Struct(fields), length: 4, children: [batch.data.children[0]!, data] }),
    );
    expect(
      passing(
        both,
        [cmp("eq", col(both, "s"), lit(0))],
        [payload("value_0", sql.varchar, "green")],
      ),
    ).toEqual([1, 3]);
    const inSet = {
      node: "in",
      expression: col(both, "s"),
      set: { kind: "literal", value_ref: 0 },
      negated: false,
    };
    expect(
      passing(both, [inSet], [payload("value_0", sql.list(sql.varchar), ["red", "blue"])]),
    ).toEqual([0, 2]);
  });
});
