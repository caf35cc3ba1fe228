import { describe, expect, it } from "vitest";
import { parseTest } from "./parser.js";
import type { LoopRecord, QueryRecord, StatementRecord, TestRecord } from "./records.js";

function only<K extends TestRecord["kind"]>(
  records: TestRecord[],
  kind: K,
): Extract<TestRecord, { kind: K }>[] {
  return records.filter((r): r is Extract<TestRecord, { kind: K }> => r.kind === kind);
}

describe("parseTest", () => {
  it("parses headers, statements and queries with line numbers", () => {
    const records = parseTest(
      [
        "# name: test/sql/x.test",
        "# group: [x]",
        "",
        "require vgi",
        "",
        "statement ok",
        "CREATE TABLE t AS",
        "SELECT 1 AS i",
        "",
        "query IT rowsort",
        "SELECT i, 'a' FROM t",
        "----",
        "1\ta",
        "",
      ].join("\n"),
    );
    expect(records.map((r) => [r.kind, r.line])).toEqual([
      ["require", 4],
      ["statement", 6],
      ["query", 10],
    ]);
    const statement = records[1] as StatementRecord;
    expect(statement.sql).toBe("CREATE TABLE t AS\nSELECT 1 AS i");
    expect(statement.expect).toBe("ok");
    const query = records[2] as QueryRecord;
    expect(query).toMatchObject({ columnTypes: "IT", sortStyle: "rowsort", expected: ["1\ta"] });
  });

  it("treats comment lines inside results as values and ends SQL at a comment", () => {
    const [query, statement] = parseTest(
      "query T\nSELECT '#x'\n----\n#x\n\nstatement ok\nSELECT 1\n# trailing comment\nSELECT 2\n",
    ) as [QueryRecord, StatementRecord];
    expect(query.expected).toEqual(["#x"]);
    expect(statement.sql).toBe("SELECT 1");
  });

  it("collects multi-line expected errors and requires one for statement error", () => {
    const [ok] = parseTest("statement error\nSELECT x\n----\nBinder Error\nline two\n") as [
      StatementRecord,
    ];
    expect(ok).toMatchObject({ expect: "error", expectedError: "Binder Error\nline two" });
    const [bad] = parseTest("statement error\nSELECT x\n");
    expect(bad).toMatchObject({ kind: "parse-error", line: 1 });
    const [okWithMessage] = parseTest("statement ok\nSELECT 1\n----\nnope\n");
    expect(okWithMessage?.kind).toBe("parse-error");
  });

  it("reads sort styles, connection names and hash labels", () => {
    const records = parseTest(
      [
        "query I nosort mylabel",
        "SELECT 1",
        "----",
        "1 values hashing to b026324c6904b2a9cb4b88d6d61c81d1",
        "",
        "query II con1",
        "SELECT 1, 2",
        "----",
        "",
        "query I valuesort",
        "SELECT 1",
        "",
      ].join("\n"),
    );
    const queries = only(records, "query");
    expect(queries.map((q) => [q.sortStyle, q.connection, q.label])).toEqual([
      ["nosort", undefined, "mylabel"],
      ["nosort", "con1", undefined],
      ["valuesort", undefined, undefined],
    ]);
    expect(queries[2]?.expected).toEqual([]);
  });

  it("applies skipif/onlyif for systems and keeps loop conditions", () => {
    const records = parseTest(
      [
        "skipif duckdb",
        "statement ok",
        "SELECT 'skipped'",
        "",
        "onlyif duckdb",
        "statement ok",
        "SELECT 'kept'",
        "",
        "onlyif postgresql",
        "statement ok",
        "SELECT 'skipped too'",
        "",
        "loop i 0 3",
        "",
        "skipif i=1",
        "statement ok",
        "SELECT ${i}",
        "",
        "endloop",
        "",
      ].join("\n"),
    );
    expect(records.map((r) => r.kind)).toEqual(["statement", "loop"]);
    expect((records[0] as StatementRecord).sql).toBe("SELECT 'kept'");
    const loop = records[1] as LoopRecord;
    expect(loop.body[0]).toMatchObject({
      kind: "statement",
      conditions: [{ keyword: "i", value: "1", comparison: "=", skipIf: true }],
    });
  });

  it("honours mode skip/unskip and halt while parsing", () => {
    const records = parseTest(
      [
        "mode skip",
        "",
        "statement error",
        "SELECT broken without message",
        "",
        "mode unskip",
        "",
        "statement ok",
        "SELECT 1",
        "",
        "halt",
        "",
        "statement ok",
        "SELECT 'never'",
        "",
      ].join("\n"),
    );
    expect(records.map((r) => r.kind)).toEqual(["statement"]);
  });

  it("nests loops, expands foreach collections and hoists parse-time directives", () => {
    const records = parseTest(
      [
        "foreach type <integral> !hugeint",
        "",
        "loop i 0 2",
        "",
        "require json",
        "",
        "statement ok",
        "SELECT ${i}::${type}",
        "",
        "endloop",
        "",
        "endloop",
        "",
      ].join("\n"),
    );
    expect(records.map((r) => r.kind)).toEqual(["require", "loop"]);
    const outer = records[1] as LoopRecord;
    expect(outer.tokens).toEqual([
      "tinyint",
      "smallint",
      "integer",
      "bigint",
      "utinyint",
      "usmallint",
      "uinteger",
      "ubigint",
      "uhugeint",
    ]);
    const inner = outer.body[0] as LoopRecord;
    expect(inner).toMatchObject({ iterator: "i", start: 0, end: 2 });
    expect(inner.tokens).toBeUndefined();
    expect(inner.body.map((r) => r.kind)).toEqual(["statement"]);
  });

  it("reports syntax errors where DuckDB's parser would stop", () => {
    const records = parseTest(
      "statement ok\nSELECT 1\n\nbogus command\n\nstatement ok\nSELECT 2\n",
    );
    expect(records.map((r) => r.kind)).toEqual(["statement", "parse-error"]);
    expect(records[1]).toMatchObject({ line: 4, message: "Unrecognized parameter bogus" });

    expect(parseTest("require vgi\nstatement ok\nSELECT 1\n")[0]).toMatchObject({
      kind: "parse-error",
      message: "all test statements need to be separated by an empty line",
    });
    expect(parseTest("loop i 0 2\n\nrequire-env X\n\nendloop\n")[0]).toMatchObject({
      kind: "parse-error",
      message: "require-env cannot be called in a loop",
    });
    expect(parseTest("loop i 0 2\n\nstatement ok\nSELECT 1\n")).toEqual([
      { kind: "parse-error", line: 4, message: "Missing endloop!" },
    ]);
    expect(parseTest("query X\nSELECT 1\n")[0]?.kind).toBe("parse-error");
  });

  it("parses environment and misc directives", () => {
    const records = parseTest(
      [
        "require-env VGI_TEST_WORKER",
        "",
        "require-env MODE fast",
        "",
        "test-env NAME default",
        "",
        "set ignore_error_messages HTTP Error, Unable to connect",
        "",
        "set ignore_error_messages",
        "",
        "hash-threshold 10",
        "",
        "load __TEST_DIR__/x.db readonly",
        "",
        "restart no_extension_load",
        "",
        "sleep 5 milliseconds",
        "",
        "mode output_hash",
        "",
      ].join("\r\n"),
    );
    expect(records).toEqual([
      { kind: "require-env", line: 1, name: "VGI_TEST_WORKER", value: undefined },
      { kind: "require-env", line: 3, name: "MODE", value: "fast" },
      { kind: "test-env", line: 5, name: "NAME", defaultValue: "default" },
      {
        kind: "set",
        line: 7,
        name: "ignore_error_messages",
        values: ["HTTP Error", "Unable to connect"],
      },
      { kind: "set", line: 9, name: "ignore_error_messages", values: [] },
      { kind: "hash-threshold", line: 11, threshold: 10 },
      { kind: "load", line: 13, path: "__TEST_DIR__/x.db", readonly: true, version: undefined },
      { kind: "restart", line: 15, loadExtensions: false },
      { kind: "sleep", line: 17, millis: 5 },
      { kind: "mode", line: 19, mode: "output_hash" },
    ]);
  });

  it("parses every upstream integration file shape without syntax errors", () => {
    // A representative slice of what the vgi suite uses.
    const records = parseTest(
      [
        "# name: test/sql/integration/x.test",
        "# description: Tests",
        "# group: [vgi_integration]",
        "",
        "require-env VGI_TEST_WORKER",
        "",
        "require vgi",
        "",
        "require httpfs",
        "",
        "statement ok",
        "ATTACH 'example' AS example (TYPE vgi, LOCATION '${VGI_TEST_WORKER}');",
        "",
        "query II",
        "EXPLAIN SELECT 1",
        "----",
        "physical_plan\t<REGEX>:.*EMPTY_RESULT.*",
        "",
        "statement error",
        "SELECT example.fail()",
        "----",
        "<REGEX>:.*no longer attached.*re-ATTACH.*",
        "",
      ].join("\n"),
    );
    expect(records.map((r) => r.kind)).toEqual([
      "require-env",
      "require",
      "require",
      "statement",
      "query",
      "statement",
    ]);
  });
});
