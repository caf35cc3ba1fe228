/**
 * Pushdown filters and SQL three-valued logic: AND/OR/NOT over NULL, IS [NOT] NULL,
 * IS [NOT] DISTINCT FROM, IN / NOT IN with a NULL in the set, and NULL literals — a
 * row passes only when the predicate is TRUE, as in DuckDB.
 */
import { describe, expect, test } from "vitest";
import { sql } from "@vgi-ts/protocol";
import { batchOf, cmp, col, lit, passing, payload } from "./pushdown-filter-builders.js";

describe("SQL three-valued logic", () => {
  const batch = batchOf({
    a: { type: sql.bigint, values: [1n, 2n, null, 4n] },
    b: { type: sql.varchar, values: ["x", null, "y", "x"] },
  });
  const p = [payload("value_0", sql.bigint, 2n), payload("value_1", sql.varchar, "x")];
  const aEq = cmp("eq", col(batch, "a"), lit(0));
  const bEq = cmp("eq", col(batch, "b"), lit(1));

  test("AND, OR, NOT with NULL", () => {
    expect(passing(batch, [{ node: "or", children: [aEq, bEq] }], p)).toEqual([0, 1, 3]);
    expect(
      passing(batch, [{ node: "and", children: [{ node: "not", expression: aEq }, bEq] }], p),
    ).toEqual([0, 3]);
    // NOT (a = 2): NULL for the NULL row, so it is dropped.
    expect(passing(batch, [{ node: "not", expression: aEq }], p)).toEqual([0, 3]);
  });

  test("IS [NOT] NULL and IS [NOT] DISTINCT FROM", () => {
    expect(
      passing(batch, [{ node: "is_null", expression: col(batch, "a"), negated: false }], p),
    ).toEqual([2]);
    expect(
      passing(batch, [{ node: "is_null", expression: col(batch, "b"), negated: true }], p),
    ).toEqual([0, 2, 3]);
    expect(passing(batch, [cmp("distinct_from", col(batch, "a"), lit(0))], p)).toEqual([0, 2, 3]);
    expect(passing(batch, [cmp("not_distinct_from", col(batch, "a"), lit(0))], p)).toEqual([1]);
    expect(passing(batch, [cmp("ne", col(batch, "a"), lit(0))], p)).toEqual([0, 3]);
  });

  test("IN and NOT IN with a NULL in the set", () => {
    const list = [payload("value_0", sql.list(sql.bigint), [1n, null])];
    const inSet = (negated: boolean) => ({
      node: "in",
      expression: col(batch, "a"),
      set: { kind: "literal", value_ref: 0 },
      negated,
    });
    expect(passing(batch, [inSet(false)], list)).toEqual([0]);
    // 2 NOT IN (1, NULL) is NULL, not TRUE.
    expect(passing(batch, [inSet(true)], list)).toEqual([]);
  });

  test("a NULL literal makes comparisons NULL", () => {
    expect(
      passing(batch, [cmp("eq", col(batch, "a"), lit(0))], [payload("value_0", sql.bigint, null)]),
    ).toEqual([]);
    expect(
      passing(
        batch,
        [cmp("distinct_from", col(batch, "a"), lit(0))],
        [payload("value_0", sql.bigint, null)],
      ),
    ).toEqual([0, 1, 3]);
  });
});
