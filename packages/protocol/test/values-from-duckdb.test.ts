/** The SQL type layer reading the Arrow shapes DuckDB actually sends. */
import { describe, expect, test } from "vitest";
import {
  DateMillisecond,
  Decimal,
  Dictionary,
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
} from "apache-arrow";
import { TypeMismatchError, decodeStream, encodeStream, sql } from "../src/index.js";
import { D38 } from "./values-support.js";

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
