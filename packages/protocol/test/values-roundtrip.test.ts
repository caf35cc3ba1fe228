/**
 * The SQL type layer: for every `sql.*` descriptor, JS values → Arrow (build) → IPC
 * bytes → Arrow (our StreamDecoder) → JS values (read) must give the values back, and
 * the wire field must map back to the same logical type.
 */
import { describe, expect, test } from "vitest";
import {} from "apache-arrow";
import { sql, sqlTypeFromArrow, type AnySqlType } from "../src/index.js";
import {
  I128_MAX,
  I128_MIN,
  U128_MAX,
  I64_MAX,
  I64_MIN,
  D38,
  throughIpc,
  roundTrip,
} from "./values-support.js";

interface Case {
  readonly type: AnySqlType;
  readonly values: readonly unknown[];
  /** What reads back, when it differs from `values` (normalized forms). */
  readonly expected?: readonly unknown[];
  readonly sqlName: string;
  /** What sqlTypeFromArrow makes of the wire field, when it is not `sqlName`. */
  readonly inferredAs?: string;
}

const CASES: readonly Case[] = [
  {
    type: sql.boolean,
    sqlName: "BOOLEAN",
    values: [true, false, null, true, true, false, false, true, null],
  },
  { type: sql.tinyint, sqlName: "TINYINT", values: [-128, 0, 127, null] },
  { type: sql.smallint, sqlName: "SMALLINT", values: [-32768, 32767, null, 1] },
  { type: sql.integer, sqlName: "INTEGER", values: [-2147483648, 2147483647, null, 0] },
  { type: sql.bigint, sqlName: "BIGINT", values: [I64_MIN, I64_MAX, null, 0n, -1n] },
  { type: sql.utinyint, sqlName: "UTINYINT", values: [0, 255, null] },
  { type: sql.usmallint, sqlName: "USMALLINT", values: [0, 65535, null] },
  { type: sql.uinteger, sqlName: "UINTEGER", values: [0, 4294967295, null] },
  { type: sql.ubigint, sqlName: "UBIGINT", values: [0n, (1n << 64n) - 1n, null] },
  {
    type: sql.bigint,
    sqlName: "BIGINT",
    values: [1, -(2 ** 53) + 1, null],
    expected: [1n, -(2n ** 53n) + 1n, null],
  },
  {
    type: sql.hugeint,
    sqlName: "HUGEINT",
    values: [I128_MIN, I128_MAX, 0n, -1n, null, 1n << 64n, -(1n << 64n) + 1n],
  },
  { type: sql.uhugeint, sqlName: "UHUGEINT", values: [0n, U128_MAX, 1n << 127n, null] },
  { type: sql.float, sqlName: "FLOAT", values: [1.5, -0, null, Infinity, -Infinity, 3.25] },
  {
    type: sql.double,
    sqlName: "DOUBLE",
    values: [Math.PI, -1e308, 5e-324, null, Infinity, Number.MAX_VALUE],
  },
  {
    type: sql.decimal(38, 0),
    sqlName: "DECIMAL(38,0)",
    values: [D38, `-${D38}`, "0", null, "1"],
  },
  {
    type: sql.decimal(38, 10),
    sqlName: "DECIMAL(38,10)",
    values: [
      `${"9".repeat(28)}.${"9".repeat(10)}`,
      `-${"9".repeat(28)}.${"9".repeat(10)}`,
      "0.0000000001",
      null,
    ],
  },
  {
    type: sql.decimal(38, 38),
    sqlName: "DECIMAL(38,38)",
    values: [`0.${D38}`, `-0.${D38}`, null],
  },
  {
    type: sql.decimal(18, 3),
    sqlName: "DECIMAL(18,3)",
    values: ["1.5", 2, -3n, "-0.001", "999999999999999.999", null, "1e5", "-2.5E-2"],
    expected: [
      "1.500",
      "2.000",
      "-3.000",
      "-0.001",
      "999999999999999.999",
      null,
      "100000.000",
      "-0.025",
    ],
  },
  {
    type: sql.decimal(4, 2),
    sqlName: "DECIMAL(4,2)",
    values: ["99.99", "-99.99", "0.10"],
    expected: ["99.99", "-99.99", "0.10"],
  },
  {
    type: sql.varchar,
    sqlName: "VARCHAR",
    values: ["", "hello", null, "é ✓ 𝄞 日本", "with\u0000nul", "x".repeat(5000)],
  },
  { type: sql.json, sqlName: "JSON", values: ['{"a":[1,2]}', "null", null] },
  {
    type: sql.blob,
    sqlName: "BLOB",
    values: [new Uint8Array([0, 255, 1]), new Uint8Array(0), null, new Uint8Array(300).fill(7)],
  },
  {
    type: sql.uuid,
    sqlName: "UUID",
    values: [
      "00000000-0000-0000-0000-000000000000",
      "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
      null,
      "123e4567e89b12d3a456426614174000",
    ],
    expected: [
      "00000000-0000-0000-0000-000000000000",
      "ffffffff-ffff-ffff-ffff-ffffffffffff",
      null,
      "123e4567-e89b-12d3-a456-426614174000",
    ],
  },
  { type: sql.bit, sqlName: "BIT", values: ["0", "1", "0101", "1".repeat(65), null] },
  {
    type: sql.bignum,
    sqlName: "BIGNUM",
    values: [0n, 1n, -1n, 255n, -256n, 10n ** 60n, -(10n ** 60n) - 7n, null],
  },
  { type: sql.date, sqlName: "DATE", values: [0, -719528, 2932896, 19723, null] },
  {
    type: sql.date,
    sqlName: "DATE",
    values: [new Date(Date.UTC(2024, 0, 1, 23, 59)), new Date(Date.UTC(1969, 11, 31))],
    expected: [19723, -1],
  },
  {
    type: sql.time,
    sqlName: "TIME",
    values: [0, 86_399_999_999, 86_400_000_000, 12_345_678, null],
  },
  { type: sql.timeNs, sqlName: "TIME_NS", values: [0, 86_399_999_999_999, 1, null] },
  {
    type: sql.timeTz,
    sqlName: "TIME WITH TIME ZONE",
    values: [
      { micros: 0, offset: 0 },
      { micros: 86_400_000_000, offset: -57_599 },
      { micros: 3_600_000_000, offset: 57_599 },
      { micros: 1, offset: 3600 },
      null,
    ],
  },
  { type: sql.timestamp, sqlName: "TIMESTAMP", values: [0n, I64_MAX, I64_MIN + 1n, -1n, null] },
  {
    type: sql.timestampS,
    sqlName: "TIMESTAMP_S",
    values: [0n, 9_223_372_036_854n, -9_223_372_022_400n, null],
  },
  { type: sql.timestampMs, sqlName: "TIMESTAMP_MS", values: [0n, 1_700_000_000_123n, -1n, null] },
  { type: sql.timestampNs, sqlName: "TIMESTAMP_NS", values: [0n, I64_MAX, I64_MIN, 1n, null] },
  {
    type: sql.timestampTz,
    sqlName: "TIMESTAMP WITH TIME ZONE",
    values: [0n, 1_700_000_000_123_456n, null],
  },
  {
    type: sql.timestamp,
    sqlName: "TIMESTAMP",
    values: [new Date(1_700_000_000_123), new Date(-1)],
    expected: [1_700_000_000_123_000n, -1000n],
  },
  {
    type: sql.timestampNs,
    sqlName: "TIMESTAMP_NS",
    values: [new Date(1_700_000_000_123)],
    expected: [1_700_000_000_123_000_000n],
  },
  {
    type: sql.interval,
    sqlName: "INTERVAL",
    values: [
      { months: 0, days: 0, micros: 0n },
      { months: 14, days: -3, micros: 3_600_000_001n },
      { months: -2147483648, days: 2147483647, micros: -(I64_MAX / 1000n) },
      { months: 1, days: 2, micros: 3 },
      null,
    ],
    expected: [
      { months: 0, days: 0, micros: 0n },
      { months: 14, days: -3, micros: 3_600_000_001n },
      { months: -2147483648, days: 2147483647, micros: -(I64_MAX / 1000n) },
      { months: 1, days: 2, micros: 3n },
      null,
    ],
  },
  { type: sql.null, sqlName: "NULL", values: [null, null, null] },
  {
    type: sql.enum(["sad", "ok", "happy"]),
    sqlName: "ENUM('sad', 'ok', 'happy')",
    // The members travel with the data (the dictionary), not in the schema.
    inferredAs: "ENUM",
    values: ["happy", null, "sad", "ok", "happy"],
  },
  {
    type: sql.enum(["it's", "b"]),
    sqlName: "ENUM('it''s', 'b')",
    inferredAs: "ENUM",
    values: ["it's", "b"],
  },
  {
    type: sql.list(sql.integer),
    sqlName: "INTEGER[]",
    values: [[1, 2, 3], [], null, [null, 5]],
  },
  {
    type: sql.list(sql.list(sql.varchar)),
    sqlName: "VARCHAR[][]",
    values: [[["a"], [], null], null, [[null, "é"]], []],
  },
  {
    type: sql.array(sql.double, 3),
    sqlName: "DOUBLE[3]",
    values: [[1, 2, 3], null, [null, -0.5, 1e10]],
  },
  {
    type: sql.struct({ n: sql.integer, s: sql.varchar, select: sql.boolean }),
    sqlName: 'STRUCT(n INTEGER, s VARCHAR, "select" BOOLEAN)',
    values: [{ n: 1, s: "x", select: true }, null, { n: null, s: null, select: null }, { n: 2 }],
    expected: [
      { n: 1, s: "x", select: true },
      null,
      { n: null, s: null, select: null },
      { n: 2, s: null, select: null },
    ],
  },
  {
    type: sql.struct({ inner: sql.struct({ d: sql.decimal(38, 2), h: sql.hugeint }) }),
    sqlName: "STRUCT(inner STRUCT(d DECIMAL(38,2), h HUGEINT))",
    values: [{ inner: { d: "1.25", h: I128_MIN } }, { inner: null }],
  },
  {
    type: sql.map(sql.varchar, sql.bigint),
    sqlName: "MAP(VARCHAR, BIGINT)",
    values: [
      new Map([
        ["a", 1n],
        ["b", null],
      ]),
      new Map(),
      null,
      [["z", 26n]],
    ],
    expected: [
      new Map([
        ["a", 1n],
        ["b", null],
      ]),
      new Map(),
      null,
      new Map([["z", 26n]]),
    ],
  },
  {
    type: sql.map(sql.integer, sql.list(sql.uuid)),
    sqlName: "MAP(INTEGER, UUID[])",
    values: [new Map([[1, ["00000000-0000-0000-0000-00000000000a"]]])],
  },
  {
    type: sql.union({ i: sql.integer, s: sql.varchar, d: sql.decimal(38, 3) }),
    sqlName: "UNION(i INTEGER, s VARCHAR, d DECIMAL(38,3))",
    values: [
      { tag: "i", value: 7 },
      { tag: "s", value: "seven" },
      null,
      { tag: "d", value: "-7.125" },
    ],
  },
  {
    type: sql.list(sql.struct({ k: sql.enum(["x", "y"]), t: sql.timestampNs })),
    sqlName: "STRUCT(k ENUM('x', 'y'), t TIMESTAMP_NS)[]",
    inferredAs: "STRUCT(k ENUM, t TIMESTAMP_NS)[]",
    values: [
      [
        { k: "y", t: 1n },
        { k: "x", t: null },
      ],
      null,
    ],
  },
];

describe.each(CASES.map((c, i) => [`${c.sqlName} #${i}`, c] as const))("%s", (_label, c) => {
  test("values → Arrow → IPC → values", () => {
    expect(roundTrip(c.type, c.values)).toEqual(c.expected ?? c.values);
  });

  test("sqlName and wire field identify the type", () => {
    expect(c.type.sqlName).toBe(c.sqlName);
    const { field } = throughIpc(c.type, c.values);
    // Field metadata (extension names) survives the wire.
    expect(Object.fromEntries(field.metadata)).toEqual(Object.fromEntries(c.type.metadata()));
    const inferred = sqlTypeFromArrow(field.type, field.metadata);
    expect(inferred.sqlName).toBe(c.inferredAs ?? c.sqlName);
  });

  test("all-null column and empty column", () => {
    const nulls = c.values.map(() => null);
    expect(roundTrip(c.type, nulls)).toEqual(nulls);
    expect(roundTrip(c.type, [])).toEqual([]);
  });
});
