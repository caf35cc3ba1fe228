/**
 * The `PushdownFilters` a function receives: apply (rows of every column kept), SQL and
 * repr rendering, the values of a column an equality or IN pins, dynamic deltas from
 * tick metadata, and advisory vs required predicates that cannot run. Per-node
 * semantics are covered by the other pushdown-*.test.ts files.
 */
import { describe, expect, test } from "vitest";
import { encodeFilterPayload, sql, type FilterPayloadColumn } from "@vgi-ts/protocol";
import { batchOf, cmp, col, filtersFor, lit, payload } from "./pushdown-filter-builders.js";

describe("PushdownFilters", () => {
  const batch = batchOf({
    n: { type: sql.bigint, values: Array.from({ length: 10 }, (_, i) => BigInt(i)) },
    s: { type: sql.varchar, values: Array.from({ length: 10 }, (_, i) => `row_${i}`) },
  });

  test("apply keeps passing rows of every column; renders as SQL and repr", () => {
    const f = filtersFor(
      batch,
      [
        {
          node: "and",
          children: [cmp("ge", col(batch, "n"), lit(0)), cmp("lt", col(batch, "n"), lit(1))],
        },
        cmp("ne", col(batch, "s"), lit(2)),
      ],
      [
        payload("value_0", sql.bigint, 2n),
        payload("value_1", sql.bigint, 8n),
        payload("value_2", sql.varchar, "row_5"),
      ],
    );
    const out = f.apply(batch);
    expect(out.numRows).toBe(5);
    expect(out.getChild("s")!.toArray()).toEqual(["row_2", "row_3", "row_4", "row_6", "row_7"]);
    expect(f.toSql()).toBe("(n >= 2 AND n < 8) AND s != 'row_5'");
    expect(f.toString()).toBe(
      "PushdownFilters([AndFilter(ConstantFilter(n >= 2) AND ConstantFilter(n < 8)), ConstantFilter(s != row_5)])",
    );
    expect(f.filteredColumns()).toEqual(["n", "s"]);
    expect(f.required).toHaveLength(2);
  });

  test("columnValues resolves =, IN and OR of them; ranges do not", () => {
    const values = (expression: unknown, payloads: FilterPayloadColumn[]) =>
      filtersFor(batch, [expression], payloads).columnValues("n");
    const two = [payload("value_0", sql.bigint, 3n), payload("value_1", sql.bigint, 7n)];
    expect(
      values(
        {
          node: "or",
          children: [cmp("eq", col(batch, "n"), lit(0)), cmp("eq", col(batch, "n"), lit(1))],
        },
        two,
      ),
    ).toEqual([3n, 7n]);
    expect(values(cmp("ge", col(batch, "n"), lit(0)), two)).toBeNull();
    expect(
      values(
        {
          node: "in",
          expression: col(batch, "n"),
          set: { kind: "literal", value_ref: 0 },
          negated: false,
        },
        [payload("value_0", sql.list(sql.bigint), [1n, 4n])],
      ),
    ).toEqual([1n, 4n]);
  });

  test("dynamic deltas from tick metadata replace advisory bounds", () => {
    const empty = filtersFor(batch, [], []);
    const delta = encodeFilterPayload(
      {
        encoding: "vgi.filters.v2",
        semantics: "vgi.duckdb.standard.v1",
        kind: "delta",
        updates: [
          {
            operation: "upsert",
            id: "top_n:0",
            revision: 1,
            mode: "advisory",
            source: "top_n",
            expression: cmp("lt", col(batch, "n"), lit(0)),
          },
        ],
      },
      [payload("value_0", sql.bigint, 3n)],
    );
    const metadata = new Map([["vgi_pushdown_filters", Buffer.from(delta).toString("base64")]]);
    const next = empty.withTickMetadata(metadata);
    expect(next).not.toBe(empty);
    expect(next.apply(batch).numRows).toBe(3);
    expect(next.withTickMetadata(new Map())).toBe(next);
  });

  test("an advisory predicate that cannot run is skipped; a required one is an error", () => {
    const missing = batchOf({ s: { type: sql.varchar, values: ["a"] } });
    const expression = cmp("eq", col(batch, "n"), lit(0));
    const advisory = filtersFor(
      batch,
      [expression],
      [payload("value_0", sql.bigint, 1n)],
      "advisory",
    );
    expect(advisory.apply(missing).numRows).toBe(1);
    const required = filtersFor(batch, [expression], [payload("value_0", sql.bigint, 1n)]);
    expect(() => required.apply(missing)).toThrow(/column n is not in the batch/);
  });
});
