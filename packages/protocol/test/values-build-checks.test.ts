/** The SQL type layer refuses values that do not fit the type when it builds a column. */
import { describe, expect, test } from "vitest";
import { TypeMismatchError, sql, type AnySqlType } from "../src/index.js";
import { I128_MAX, I128_MIN, U128_MAX, I64_MAX, roundTrip } from "./values-support.js";

describe("value checks at build time", () => {
  test.each<[string, AnySqlType, unknown]>([
    ["DECIMAL(38,0) past the 128-bit range", sql.decimal(38, 0), String(1n << 127n)],
    ["DECIMAL(37,0) with 38 digits", sql.decimal(37, 0), "1" + "0".repeat(37)],
    ["DECIMAL(4,2) with too many decimals", sql.decimal(4, 2), "1.234"],
    ["DECIMAL(4,2) past its precision", sql.decimal(4, 2), "100.00"],
    ["DECIMAL from garbage text", sql.decimal(18, 3), "1.2.3"],
    ["DECIMAL from an empty string", sql.decimal(18, 3), ""],
    ["DECIMAL from NaN", sql.decimal(18, 3), NaN],
    ["HUGEINT past 2^127-1", sql.hugeint, I128_MAX + 1n],
    ["HUGEINT below -2^127", sql.hugeint, I128_MIN - 1n],
    ["UHUGEINT negative", sql.uhugeint, -1n],
    ["UHUGEINT past 2^128-1", sql.uhugeint, U128_MAX + 1n],
    ["TINYINT past 127", sql.tinyint, 128],
    ["INTEGER fraction", sql.integer, 1.5],
    ["BIGINT unsafe number", sql.bigint, 2 ** 60],
    ["BIGINT past 2^63-1", sql.bigint, I64_MAX + 1n],
    ["TIMESTAMP past int64", sql.timestamp, I64_MAX + 1n],
    ["TIMESTAMP invalid Date", sql.timestamp, new Date(NaN)],
    ["TIME past midnight", sql.time, 86_400_000_001],
    ["TIME negative", sql.time, -1],
    ["UUID malformed", sql.uuid, "not-a-uuid"],
    ["BIT with other digits", sql.bit, "0120"],
    ["ENUM non-member", sql.enum(["a"]), "b"],
    ["INTERVAL months not int32", sql.interval, { months: 2 ** 31, days: 0, micros: 0n }],
    ["ARRAY of wrong size", sql.array(sql.integer, 2), [1]],
    ["MAP with NULL key", sql.map(sql.varchar, sql.integer), [[null, 1]]],
    ["UNION unknown tag", sql.union({ a: sql.integer }), { tag: "b", value: 1 }],
    ["BOOLEAN from number", sql.boolean, 1],
    ["NULL type with a value", sql.null, 0],
  ])("%s is rejected", (_name, type, value) => {
    expect(() => type.build([value])).toThrow();
  });

  test("DECIMAL(38,0) holds the whole HUGEINT range (DuckDB sends HUGEINT so)", () => {
    const values = [String(I128_MAX), String(I128_MIN), "1" + "0".repeat(38)];
    expect(roundTrip(sql.decimal(38, 0), values)).toEqual(values);
  });

  test("rejections are TypeMismatchError with the SQL type name", () => {
    expect(() => sql.decimal(4, 2).build(["100.00"])).toThrow(TypeMismatchError);
    expect(() => sql.decimal(4, 2).build(["100.00"])).toThrow(/DECIMAL\(4,2\)/);
  });

  test("descriptor parameters are validated", () => {
    expect(() => sql.decimal(39, 0)).toThrow(RangeError);
    expect(() => sql.decimal(5, 6)).toThrow(RangeError);
    expect(() => sql.enum(["a", "a"])).toThrow(RangeError);
    expect(() => sql.array(sql.integer, 0)).toThrow(RangeError);
    expect(() => sql.union({})).toThrow(RangeError);
  });
});
