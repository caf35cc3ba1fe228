/** Decimal and time conversion helpers, and sqlTypeFromArrow on plain wire types. */
import { describe, expect, test } from "vitest";
import { Decimal, Field, Int32, Int64, TimeUnit, Timestamp, Utf8 } from "apache-arrow";
import {
  convertUnit,
  decimalToUnscaled,
  sql,
  sqlTypeFromArrow,
  timestampToDate,
  unscaledToDecimal,
} from "../src/index.js";
import { D38 } from "./values-support.js";

describe("decimal and time helpers", () => {
  test("decimalToUnscaled / unscaledToDecimal at 38 digits", () => {
    expect(decimalToUnscaled(`-${D38}`, 0)).toBe(-(10n ** 38n - 1n));
    expect(unscaledToDecimal(10n ** 38n - 1n, 38)).toBe(`0.${D38}`);
    expect(unscaledToDecimal(-5n, 3)).toBe("-0.005");
    expect(decimalToUnscaled("1.5", 3)).toBe(1500n);
    expect(decimalToUnscaled("1.2345", 3)).toBeUndefined();
  });

  test("convertUnit floors negatives; timestampToDate", () => {
    expect(convertUnit(-1n, TimeUnit.MICROSECOND, TimeUnit.MILLISECOND)).toBe(-1n);
    expect(convertUnit(-1000n, TimeUnit.MICROSECOND, TimeUnit.MILLISECOND)).toBe(-1n);
    expect(convertUnit(1999n, TimeUnit.MICROSECOND, TimeUnit.MILLISECOND)).toBe(1n);
    expect(convertUnit(3n, TimeUnit.SECOND, TimeUnit.NANOSECOND)).toBe(3_000_000_000n);
    expect(timestampToDate(1_700_000_000_123_999n).toISOString()).toBe("2023-11-14T22:13:20.123Z");
  });
});

describe("sqlTypeFromArrow on plain wire types", () => {
  test.each<[string, Field, string]>([
    ["Int32", new Field("x", new Int32()), "INTEGER"],
    ["Int64", new Field("x", new Int64()), "BIGINT"],
    ["Utf8", new Field("x", new Utf8()), "VARCHAR"],
    ["Decimal(38,0)", new Field("x", new Decimal(0, 38, 128)), "DECIMAL(38,0)"],
    ["Timestamp(s)", new Field("x", new Timestamp(TimeUnit.SECOND, null)), "TIMESTAMP_S"],
    [
      "Timestamp(us, UTC)",
      new Field("x", new Timestamp(TimeUnit.MICROSECOND, "UTC")),
      "TIMESTAMP WITH TIME ZONE",
    ],
  ])("%s → %s", (_name, field, expected) => {
    expect(sqlTypeFromArrow(field.type, field.metadata).sqlName).toBe(expected);
  });

  test("Null with vgi_type=any is ANY; bare Null is NULL", () => {
    expect(sqlTypeFromArrow(sql.any.arrowType(), sql.any.metadata()).sqlName).toBe("ANY");
    expect(sqlTypeFromArrow(sql.null.arrowType()).sqlName).toBe("NULL");
  });
});
