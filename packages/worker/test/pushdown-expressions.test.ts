/**
 * Pushdown filters over computed expressions (the row-value path): arithmetic, negate,
 * cast, DuckDB's standard functions (starts_with, ends_with, contains, list_contains),
 * struct field references, and a BOOLEAN column as the whole predicate.
 */
import { describe, expect, test } from "vitest";
import { sql } from "@vgi-ts/protocol";
import { batchOf, cmp, col, lit, passing, payload } from "./pushdown-filter-builders.js";

describe("computed expressions and calls", () => {
  const batch = batchOf({
    n: { type: sql.bigint, values: [1n, 2n, 3n, 4n, null] },
    s: { type: sql.varchar, values: ["apple", "banana", "cherry", "apricot", null] },
    tags: { type: sql.list(sql.varchar), values: [["a"], ["b", "c"], [], ["c"], null] },
    rec: {
      type: sql.struct({ k: sql.integer, v: sql.varchar }),
      values: [{ k: 1, v: "x" }, { k: 2, v: "y" }, null, { k: 4, v: "x" }, { k: 5, v: null }],
    },
    flag: { type: sql.boolean, values: [true, false, null, true, false] },
  });

  test("arithmetic, negate, cast", () => {
    const p = [
      payload("value_0", sql.bigint, 2n),
      payload("value_1", sql.bigint, 5n),
      { field: sql.varchar.field("type_0"), data: sql.varchar.build([null]) },
    ];
    expect(
      passing(
        batch,
        [
          cmp(
            "gt",
            { node: "arithmetic", op: "multiply", left: col(batch, "n"), right: lit(0) },
            lit(1),
          ),
        ],
        p,
      ),
    ).toEqual([2, 3]);
    expect(
      passing(
        batch,
        [
          cmp(
            "lt",
            { node: "negate", expression: col(batch, "n") },
            { node: "negate", expression: lit(0) },
          ),
        ],
        p,
      ),
    ).toEqual([2, 3]);
    expect(
      passing(
        batch,
        [cmp("eq", { node: "cast", expression: col(batch, "n"), type_ref: 0 }, lit(2))],
        [...p.slice(0, 2), payload("value_2", sql.varchar, "3"), p[2]!],
      ),
    ).toEqual([2]);
  });

  test("standard functions: starts_with, ends_with, contains, list_contains", () => {
    const p = [payload("value_0", sql.varchar, "ap"), payload("value_1", sql.varchar, "c")];
    const call = (fn: string, args: unknown[]) => ({ node: "call", function: fn, arguments: args });
    expect(passing(batch, [call("starts_with", [col(batch, "s"), lit(0)])], p)).toEqual([0, 3]);
    expect(
      passing(
        batch,
        [call("ends_with", [col(batch, "s"), lit(1)])],
        [payload("value_0", sql.varchar, "a"), payload("value_1", sql.varchar, "t")],
      ),
    ).toEqual([3]);
    expect(
      passing(
        batch,
        [call("contains", [col(batch, "s"), lit(1)])],
        [payload("value_0", sql.varchar, "a"), payload("value_1", sql.varchar, "rr")],
      ),
    ).toEqual([2]);
    expect(passing(batch, [call("list_contains", [col(batch, "tags"), lit(1)])], p)).toEqual([
      1, 3,
    ]);
  });

  test("struct fields and a BOOLEAN column as the predicate", () => {
    const ref = {
      node: "field_ref",
      expression: col(batch, "rec"),
      field_index: 1,
      field_name: "v",
    };
    expect(
      passing(batch, [cmp("eq", ref, lit(0))], [payload("value_0", sql.varchar, "x")]),
    ).toEqual([0, 3]);
    expect(passing(batch, [col(batch, "flag")], [])).toEqual([0, 3]);
    expect(passing(batch, [{ node: "not", expression: col(batch, "flag") }], [])).toEqual([1, 4]);
  });
});
