import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { escapeNested } from "./cast-to-varchar.js";
import { renderVectorCell, vectorItemToVarchar } from "./render.js";

/**
 * Differential tests: for each expression, DuckDB's own `expr::VARCHAR` is the
 * oracle for our client-side rendering of the typed value.
 */
const EXPRESSIONS: string[] = [
  // integers
  "42::TINYINT",
  "(-128)::TINYINT",
  "255::UTINYINT",
  "(-32768)::SMALLINT",
  "2147483647::INTEGER",
  "(-9223372036854775808)::BIGINT",
  "18446744073709551615::UBIGINT",
  "170141183460469231731687303715884105727::HUGEINT",
  "-170141183460469231731687303715884105727::HUGEINT",
  "340282366920938463463374607431768211455::UHUGEINT",
  // floating point
  "1.0::DOUBLE",
  "0.1::DOUBLE",
  "-2.5::DOUBLE",
  "100.0::DOUBLE",
  "123456789.125::DOUBLE",
  "1e15::DOUBLE",
  "1e16::DOUBLE",
  "1.5e16::DOUBLE",
  "1e-4::DOUBLE",
  "1.25e-5::DOUBLE",
  "1e100::DOUBLE",
  "1e-300::DOUBLE",
  "(1/3)::DOUBLE",
  "0.0::DOUBLE",
  "-0.0::DOUBLE",
  "'inf'::DOUBLE",
  "'-inf'::DOUBLE",
  "'nan'::DOUBLE",
  "3.4028235e38::FLOAT",
  "0.1::FLOAT",
  "1.1::FLOAT",
  "(1/3)::FLOAT",
  "16777216::FLOAT",
  "1e10::FLOAT",
  "1e-7::FLOAT",
  "-0.0::FLOAT",
  // decimals
  "1.5::DECIMAL(4,2)",
  "-0.05::DECIMAL(4,2)",
  "0::DECIMAL(4,2)",
  "123456789012345678.123::DECIMAL(38,3)",
  "-99999999999999999999999999999999999.999::DECIMAL(38,3)",
  "42::DECIMAL(10,0)",
  "0.000001::DECIMAL(18,6)",
  // strings & blobs
  "'hello'",
  "''",
  "'it''s'",
  "'tab\there'",
  "'\\x00abc'::BLOB",
  "'a\\x80\\xFFb'::BLOB",
  "'quote''s \"dq\" back\\x5Cslash'::BLOB",
  "'\\xAA\\xBB'::BLOB",
  "'0101'::BIT",
  "'11110000111'::BIT",
  "'550e8400-e29b-41d4-a716-446655440000'::UUID",
  "'ffffffff-ffff-ffff-ffff-ffffffffffff'::UUID",
  "'00000000-0000-0000-0000-000000000000'::UUID",
  // temporal
  "DATE '2024-01-15'",
  "DATE '1970-01-01'",
  "DATE '0001-01-01'",
  "DATE '0044-03-15 (BC)'",
  "DATE '10000-12-31'",
  "'infinity'::DATE",
  "'-infinity'::DATE",
  "TIME '12:34:56'",
  "TIME '00:00:00.5'",
  "TIME '23:59:59.999999'",
  "TIME '24:00:00'",
  "'12:34:56.123456789'::TIME_NS",
  "'12:34:56.5'::TIME_NS",
  "TIMETZ '12:34:56+02'",
  "TIMETZ '12:34:56.25-05:30'",
  "TIMETZ '01:02:03+00'",
  "TIMESTAMP '2024-01-15 12:34:56'",
  "TIMESTAMP '2024-01-15 12:34:56.123456'",
  "TIMESTAMP '2024-01-15 12:34:56.1'",
  "TIMESTAMP '1969-12-31 23:59:59.999999'",
  "TIMESTAMP '0010-05-06 (BC) 07:08:09'",
  "DATE '-0010-05-06'::TIMESTAMP",
  "'infinity'::TIMESTAMP",
  "'-infinity'::TIMESTAMP",
  "'2024-01-15 12:34:56.123456789'::TIMESTAMP_NS",
  "'1960-01-15 12:34:56.000000001'::TIMESTAMP_NS",
  "'2024-01-15 12:34:56.789'::TIMESTAMP_MS",
  "'2024-01-15 12:34:56'::TIMESTAMP_S",
  "TIMESTAMPTZ '2024-01-15 12:34:56.5+02'",
  "'infinity'::TIMESTAMPTZ",
  "INTERVAL '1 year 2 months 3 days 04:05:06.789'",
  "INTERVAL '0 seconds'",
  "INTERVAL '-1 day'",
  "INTERVAL '14 months'",
  "INTERVAL '-14 months'",
  "INTERVAL '1 month'",
  "INTERVAL '-36 hours'",
  "INTERVAL '100 hours 1 microsecond'",
  "INTERVAL '-0.5 seconds'",
  // enums and booleans
  "true",
  "false",
  "'b'::ENUM('a', 'b')",
  // lists
  "[1, 2, 3]",
  "[]::INTEGER[]",
  "[NULL, 5]",
  "['a', 'b c', '', ' lead', 'trail ', 'x y', NULL, 'null', 'NULL', 'it''s', 'a,b', 'k=v', 'br[ack]', 'back\\slash', 'co:lon', '{}', '()']",
  "[[1, 2], [3], NULL, []]",
  "[1.5, 2.5]",
  "[1.5::DOUBLE, 0.1]",
  "[DATE '2024-01-15']",
  "[TIMESTAMP '2024-01-15 12:00:00']",
  "[TIME '12:00:00']",
  "[INTERVAL '1 day']",
  "[true, false, NULL]",
  "['\\x01'::BLOB]",
  "['550e8400-e29b-41d4-a716-446655440000'::UUID]",
  "[{'a': 1}, NULL]",
  "[MAP {'k': 'v'}]",
  // structs
  "{'a': 1, 'b': 'x'}",
  "{'a': NULL, 'b': [1, 2]}",
  "{'key with space': 'value with space', 'q''uote': ''}",
  "{'1': 3, 'a': 4}",
  "{'x': {'y': 'z w'}}",
  "row(1, 'a b', NULL)",
  "row(1, row(2, 3))",
  "[row(1, 2), row(3, 4)]",
  "{'a': TIMESTAMP '2024-01-01 00:00:00'}",
  // maps
  "MAP {'k': 'v', 'a b': NULL}",
  "MAP {1: [1, 2], 2: []}",
  "MAP {}::MAP(INTEGER, INTEGER)",
  "MAP {'k': {'a': 1}}",
  // arrays
  "[1, 2, 3]::INTEGER[3]",
  "['a b', 'c']::VARCHAR[2]",
  "[[1, 2], [3, 4]]::INTEGER[2][2]",
  "[NULL, 1]::INTEGER[2]",
  // unions
  "union_value(num := 2)::UNION(num INTEGER, str VARCHAR)",
  "union_value(str := 'a b')::UNION(num INTEGER, str VARCHAR)",
  "[union_value(str := 'a b')::UNION(num INTEGER, str VARCHAR)]",
  // geometry (core type in 1.5)
  "'POINT (1 2)'::GEOMETRY",
  "'POINT (1.5 -2.25)'::GEOMETRY",
  "'POINT EMPTY'::GEOMETRY",
  "'POINT Z (1 2 3)'::GEOMETRY",
  "'LINESTRING (0 0, 1e20 2)'::GEOMETRY",
  "'POLYGON ((0 0, 1 0, 1 1, 0 0), (0.1 0.1, 0.2 0.1, 0.2 0.2, 0.1 0.1))'::GEOMETRY",
  "'MULTIPOINT (1 2, 3 4)'::GEOMETRY",
  "'MULTILINESTRING ((0 0, 1 1), (2 2, 3 3))'::GEOMETRY",
  "'MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)))'::GEOMETRY",
  "'GEOMETRYCOLLECTION (POINT (1 2), LINESTRING (0 0, 1 1))'::GEOMETRY",
  "['POINT (1 2)'::GEOMETRY]",
  // variant
  "1::VARIANT",
  "'a, b'::VARIANT",
  "[1, 2]::VARIANT",
  "{'a': 1, 'b': 'x, y', 'c': ''}::VARIANT",
  "[{'a': 'x'}]::VARIANT",
  "[1::VARIANT, 'x'::VARIANT, 'y, z'::VARIANT]",
  "DATE '2024-01-01'::VARIANT",
  // json
  "'{\"a\": [1, 2]}'::JSON",
  "['{\"a\": 1}'::JSON]",
  "{'j': '{\"a\": 1}'::JSON, 's': 'x, y'}",
  "MAP {'k': '[1, 2]'::JSON}",
  "['{\"a\": 1}'::JSON, '2'::JSON]::JSON[2]",
  "[NULL::JSON, '\"s x\"'::JSON, '[1,2]'::JSON]",
  "[['1'::JSON]]",
  "{'l': ['{\"a\": 1}'::JSON]}",
];

describe("castToVarchar matches DuckDB's own ::VARCHAR", () => {
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;

  beforeAll(async () => {
    instance = await DuckDBInstance.create(":memory:");
    connection = await instance.connect();
    await connection.run("SET TimeZone = 'UTC'");
  });

  afterAll(() => {
    connection.closeSync();
    instance.closeSync();
  });

  it.each(EXPRESSIONS)("%s", async (expression) => {
    const reader = await connection.runAndReadAll(
      `SELECT ${expression} AS v, (${expression})::VARCHAR AS s`,
    );
    const types = reader.columnTypes();
    const valueType = types[0];
    if (valueType === undefined) throw new Error("no column");
    const expected = reader.getColumns()[1]?.[0];
    const materialized = await connection.run(`SELECT ${expression} AS v`);
    const dataChunk = await materialized.fetchChunk();
    if (!dataChunk) throw new Error("no chunk");
    const actual = vectorItemToVarchar(dataChunk.getColumnVector(0), 0, valueType);
    expect(actual).toBe(expected);
  });
});

describe("TIMESTAMPTZ follows the session TimeZone", () => {
  it("prints local time and the zone's offset", async () => {
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    try {
      for (const zone of ["America/New_York", "Asia/Kolkata", "Europe/Amsterdam"]) {
        await connection.run(`SET TimeZone = '${zone}'`);
        for (const literal of ["2024-01-15 12:34:56+00", "2024-07-01 00:00:00.25+00"]) {
          const sql = `SELECT TIMESTAMPTZ '${literal}' AS v, TIMESTAMPTZ '${literal}'::VARCHAR AS s`;
          const reader = await connection.runAndReadAll(sql);
          const type = reader.columnTypes()[0];
          if (type === undefined) throw new Error("no column");
          const result = await connection.run(`SELECT TIMESTAMPTZ '${literal}'`);
          const chunk = await result.fetchChunk();
          if (!chunk) throw new Error("no chunk");
          expect(vectorItemToVarchar(chunk.getColumnVector(0), 0, type, { timeZone: zone })).toBe(
            reader.getColumns()[1]?.[0],
          );
        }
      }
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});

describe("sqllogictest cell rendering", () => {
  it("renders NULL, booleans as 1/0, empty strings and NUL bytes", async () => {
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    try {
      const result = await connection.run(
        "SELECT NULL::INTEGER, true, false, '', 'a' || chr(0) || 'b', [''], 'NULL'",
      );
      const chunk = await result.fetchChunk();
      if (!chunk) throw new Error("no chunk");
      const cells = result
        .columnTypes()
        .map((type, i) => renderVectorCell(chunk.getColumnVector(i), 0, type));
      expect(cells).toEqual(["NULL", "1", "0", "(empty)", "a\\0b", "['']", "NULL"]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it("quotes nested scalars only when DuckDB would", () => {
    expect(escapeNested("abc")).toBe("abc");
    expect(escapeNested("")).toBe("''");
    expect(escapeNested("a b")).toBe("a b");
    expect(escapeNested(" a")).toBe("' a'");
    expect(escapeNested("a ")).toBe("'a '");
    expect(escapeNested(" ")).toBe("' '");
    expect(escapeNested("Null")).toBe("'Null'");
    expect(escapeNested("it's")).toBe("'it\\'s'");
    expect(escapeNested("a\\b")).toBe("a\\b");
    expect(escapeNested("a\\b,")).toBe("'a\\\\b,'");
    expect(escapeNested("plain", true)).toBe("'plain'");
  });
});
