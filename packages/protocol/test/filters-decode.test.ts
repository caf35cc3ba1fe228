/**
 * Decoding vgi.filters.v2 snapshots: the shape DuckDB 1.5.5 sends (captured from the
 * real extension), every node kind, and external IN sets from join_keys. Evaluation
 * contexts, refusals and deltas have their own filters-decode-*.test.ts files.
 */
import { describe, expect, test } from "vitest";
import { Field, Int64, Schema, vectorFromArray } from "apache-arrow";
import {
  cmp,
  col,
  decode,
  int64,
  int64List,
  joinBatch,
  lit,
  predicate,
  refused,
  snapshot,
  utf8,
} from "./filters-support.js";
describe("snapshot documents", () => {
  test("n >= 8 as DuckDB sends it", () => {
    const state = decode(snapshot([predicate(cmp("ge", col("n"), lit(0)))]), [
      int64("value_0", 8n),
    ]);
    expect(state.context).toEqual({ profile: "vgi.none.v1" });
    expect(state.predicates).toHaveLength(1);
    const [p] = state.predicates;
    expect(p!.mode).toBe("required");
    expect(state.requiredIds.has("query:0")).toBe(true);
    const e = p!.expression;
    expect(e.node).toBe("comparison");
    if (e.node !== "comparison" || e.right.node !== "literal") throw new Error("shape");
    expect(e.right.value).toBe(8n);
    expect(e.left).toMatchObject({ node: "column_ref", columnIndex: 0, columnName: "n" });
  });

  test("every node kind decodes", () => {
    const expression = {
      node: "and",
      children: [
        {
          node: "or",
          children: [
            cmp("distinct_from", col("n"), lit(0)),
            cmp("not_distinct_from", col("s"), lit(1)),
          ],
        },
        { node: "not", expression: { node: "is_null", expression: col("s"), negated: false } },
        { node: "in", expression: col("n"), set: { kind: "literal", value_ref: 2 }, negated: true },
        cmp(
          "lt",
          { node: "arithmetic", op: "add", left: col("n"), right: lit(0) },
          { node: "negate", expression: lit(0) },
        ),
        cmp("eq", { node: "cast", expression: col("n"), type_ref: 0 }, lit(1)),
        { node: "call", function: "starts_with", arguments: [col("s"), lit(1)] },
        { node: "call", function: "list_contains", arguments: [col("tags"), lit(1)] },
        cmp(
          "eq",
          { node: "field_ref", expression: col("rec"), field_index: 1, field_name: "b" },
          lit(1),
        ),
        col("flag"),
      ],
    };
    const state = decode(snapshot([predicate(expression)]), [
      int64("value_0", 3n),
      utf8("value_1", "x"),
      int64List("value_2", [1n, null, 3n]),
      utf8("type_0", null),
    ]);
    const root = state.predicates[0]!.expression;
    if (root.node !== "and") throw new Error("shape");
    expect(root.children.map((c) => c.node)).toEqual([
      "or",
      "not",
      "in",
      "comparison",
      "comparison",
      "call",
      "call",
      "comparison",
      "column_ref",
    ]);
    const inNode = root.children[2]!;
    if (inNode.node !== "in") throw new Error("shape");
    expect(inNode.set.kind).toBe("literal");
    expect(inNode.set.data.length).toBe(3);
  });

  test("external IN sets come from join_keys", () => {
    const keys = new Schema([new Field("k", new Int64())]);
    const batch = vectorFromArray([1n, 5n, 9n], new Int64());
    const join = joinBatch(keys, batch.data[0]!);
    const state = decode(
      snapshot([
        predicate(
          {
            node: "in",
            expression: col("n"),
            set: { kind: "external", batch_index: 0, column_index: 0, column_name: "k" },
            negated: false,
          },
          { mode: "advisory", source: "join" },
        ),
      ]),
      [],
      [join],
    );
    const e = state.predicates[0]!.expression;
    if (e.node !== "in") throw new Error("shape");
    expect(e.set.kind).toBe("external");
    expect(e.set.data.length).toBe(3);
    expect(
      refused(() =>
        decode(
          snapshot([
            predicate({
              node: "in",
              expression: col("n"),
              set: { kind: "external", batch_index: 1, column_index: 0, column_name: "k" },
              negated: false,
            }),
          ]),
          [],
          [join],
        ),
      ),
    ).toMatch(/join_keys batch 1/);
  });
});
