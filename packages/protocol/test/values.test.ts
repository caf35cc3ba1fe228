/**
 * The SQL type layer: for every `sql.*` descriptor, JS values → Arrow (build) → IPC
 * bytes → Arrow (our StreamDecoder) → JS values (read) must give the values back, and
 * the wire field must map back to the same logical type.
 */
import { describe, expect, test } from "vitest";
import {
  DateMillisecond,
  Decimal,
  Dictionary,
  Field,
  Int32,
  Int64,
  IntervalDayTime,
  IntervalYearMonth,
  RecordBatch,
  Schema,
  Struct,
  TimeUnit,
  Timestamp,
  Utf8,
  makeData,
  vectorFromArray,
  type Data,
} from "apache-arrow";
import {
  TypeMismatchError,
  convertUnit,
  decimalToUnscaled,
  decodeStream,
  encodeStream,
  sql,
  sqlTypeFromArrow,
  timestampToDate,
  unscaledToDecimal,
  type AnySqlType,
} from "../src/index.js";

const I128_MAX = (1n << 127n) - 1n;
const I128_MIN = -(1n << 127n);
const U128_MAX = (1n << 128n) - 1n;
const I64_MAX = (1n << 63n) - 1n;
const I64_MIN = -(1n << 63n);
const D38 = "9".repeat(38);

/** Build one column, send it through IPC, return the decoded field and column data. */
function throughIpc(type: AnySqlType, values: readonly unknown[]): { field: Field; data: Data } {
  const field = type.field("v");
  const built = type.build(values);
  expect(built.length).toBe(values.length);
  const schema = new Schema([field]);
  const batch = new RecordBatch(
    schema,
    makeData({ type: new Struct(schema.fields), length: values.length, children: [built] }),
  );
  const decoded = decodeStream(encodeStream(schema, [batch]));
  const column = decoded.batches[0]!.getChildAt(0)!;
  expect(column.data).toHaveLength(1);
  return { field: decoded.schema.fields[0]!, data: column.data[0]! };
}

function roundTrip(type: AnySqlType, values: readonly unknown[]): unknown[] {
  const { field, data } = throughIpc(type, values);
  expect(type.accepts(field.type)).toBe(true);
  return type.readAll(data);
}

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

describe("reading what DuckDB sends", () => {
  test("a reader refuses a column of another type", () => {
    const data = vectorFromArray(["x"], new Utf8()).data[0]!;
    expect(() => sql.bigint.readAll(data)).toThrow(TypeMismatchError);
  });

  test("HUGEINT and UHUGEINT read from Decimal(38,0) (DuckDB's default wire form)", () => {
    const wire = sql.decimal(38, 0).build([D38, "-5"]);
    expect(sql.hugeint.readAll(wire)).toEqual([10n ** 38n - 1n, -5n]);
    const big = sql.decimal(38, 0).build(["1"]);
    expect(sql.uhugeint.readAll(big)).toEqual([1n]);
  });

  test("UUID and ENUM read from plain Utf8", () => {
    const text = sql.varchar.build(["A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", null]);
    expect(sql.uuid.readAll(text)).toEqual(["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", null]);
    const e = sql.enum(["x", "y"]);
    expect(e.readAll(sql.varchar.build(["y", "x"]))).toEqual(["y", "x"]);
  });

  test("ENUM with Int32 indices and a dictionary DuckDB built", () => {
    const dictionary = vectorFromArray(["lo", "mid", "hi"], new Utf8());
    const type = new Dictionary(new Utf8(), new Int32());
    const data = makeData({
      type,
      length: 4,
      data: Int32Array.from([2, 0, 1, 2]),
      dictionary,
    });
    expect(sql.enum(["lo", "mid", "hi"]).readAll(data)).toEqual(["hi", "lo", "mid", "hi"]);
  });

  test("ENUM dictionary is shared across batches of one stream (sent once)", () => {
    const e = sql.enum(["a", "b", "c"]);
    const field = e.field("v");
    const schema = new Schema([field]);
    const batches = [["a", "c"], ["b"], [null, "a"]].map(
      (values) =>
        new RecordBatch(
          schema,
          makeData({
            type: new Struct(schema.fields),
            length: values.length,
            children: [e.build(values as ("a" | "b" | "c" | null)[])],
          }),
        ),
    );
    const decoded = decodeStream(encodeStream(schema, batches));
    expect(decoded.batches.map((b) => e.readAll(b.getChildAt(0)!))).toEqual([
      ["a", "c"],
      ["b"],
      [null, "a"],
    ]);
  });

  test("timestamps read across units, flooring like DuckDB casts", () => {
    const ns = makeData({
      type: new Timestamp(TimeUnit.NANOSECOND, null),
      length: 3,
      data: BigInt64Array.from([1_999_999n, -1n, 0n]),
    });
    expect(sql.timestamp.readAll(ns)).toEqual([1999n, -1n, 0n]);
    expect(sql.timestampS.readAll(ns)).toEqual([0n, -1n, 0n]);
    const s = makeData({
      type: new Timestamp(TimeUnit.SECOND, null),
      length: 1,
      data: BigInt64Array.from([-2n]),
    });
    expect(sql.timestampNs.readAll(s)).toEqual([-2_000_000_000n]);
    // A timezone-aware column is TIMESTAMPTZ only.
    const tz = makeData({
      type: new Timestamp(TimeUnit.MICROSECOND, "UTC"),
      length: 1,
      data: BigInt64Array.from([5n]),
    });
    expect(sql.timestampTz.readAll(tz)).toEqual([5n]);
    expect(() => sql.timestamp.readAll(tz)).toThrow(TypeMismatchError);
  });

  test("DATE from Date64 milliseconds floors to the day", () => {
    const data = makeData({
      type: new DateMillisecond(),
      length: 2,
      data: BigInt64Array.from([86_400_000n * 3n + 5n, -1n]),
    });
    expect(sql.date.readAll(data)).toEqual([3, -1]);
  });

  test("INTERVAL from YEAR_MONTH and DAY_TIME", () => {
    const ym = makeData({ type: new IntervalYearMonth(), length: 1, data: Int32Array.from([15]) });
    expect(sql.interval.readAll(ym)).toEqual([{ months: 15, days: 0, micros: 0n }]);
    const dt = makeData({
      type: new IntervalDayTime(),
      length: 1,
      data: Int32Array.from([2, 1500]),
    });
    expect(sql.interval.readAll(dt)).toEqual([{ months: 0, days: 2, micros: 1_500_000n }]);
  });

  test("DECIMAL read from a 64-bit decimal column", () => {
    const data = makeData({
      type: new Decimal(2, 10, 64),
      length: 2,
      data: new Uint32Array(BigInt64Array.from([-12345n, 5n]).buffer),
    });
    expect(sql.decimal(10, 2).readAll(data)).toEqual(["-123.45", "0.05"]);
  });

  test("chunked vectors read across chunk boundaries", () => {
    const a = sql.bigint.build([1n, 2n]);
    const b = sql.bigint.build([3n]);
    const vector = vectorFromArray([0n], new Int64()).concat(
      vectorFromArray([1n, 2n], new Int64()),
    );
    expect(sql.bigint.readAll(vector)).toEqual([0n, 1n, 2n]);
    expect(sql.bigint.readAll(a).concat(sql.bigint.readAll(b))).toEqual([1n, 2n, 3n]);
  });

  test("sliced chunks read from their own offset (validity and values)", () => {
    const data = sql.integer.build([1, null, 3, 4, null, 6, 7, 8, 9, null]);
    const slice = data.slice(3, 6);
    expect(sql.integer.readAll(slice)).toEqual([4, null, 6, 7, 8, 9]);
    const bools = sql.boolean.build([true, false, true, true, false, false, true, false, true]);
    expect(sql.boolean.readAll(bools.slice(5, 4))).toEqual([false, true, false, true]);
  });
});

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
