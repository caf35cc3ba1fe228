/**
 * What the vgi.filters.v2 decoder refuses, always as a typed FilterDecodeError: bad
 * nodes, document-level violations (header, ids, revisions, strict JSON) and the size
 * limits (depth, node count, IN-set size).
 */
import { describe, expect, test } from "vitest";
import {
  decodeFilterSnapshot,
  encodeFilterPayload,
  type FilterPayloadColumn,
} from "../src/index.js";
import {
  cmp,
  col,
  decode,
  int64,
  int64List,
  lit,
  output,
  predicate,
  refused,
  snapshot,
} from "./filters-support.js";
describe("refusals", () => {
  const ok = (expression: unknown, payloads: FilterPayloadColumn[] = [int64("value_0", 1n)]) =>
    decode(snapshot([predicate(expression)]), payloads);
  test.each([
    ["unknown node", { node: "regex", expression: col("n") }, /unknown expression node/],
    ["column name/index mismatch", { ...col("n"), column_name: "s" }, /not output column/],
    ["missing value payload", cmp("eq", col("n"), lit(7)), /missing payload value_7/],
    ["negative value_ref", cmp("eq", col("n"), lit(-1)), /value_ref/],
    ["extra property", { ...cmp("eq", col("n"), lit(0)), extra: 1 }, /unknown property 'extra'/],
    ["unknown comparison", cmp("like", col("n"), lit(0)), /unknown comparison/],
    [
      "and with one child",
      { node: "and", children: [cmp("eq", col("n"), lit(0))] },
      /at least two/,
    ],
    ["non-boolean root", col("n"), /not BOOLEAN/],
    [
      "unknown function",
      { node: "call", function: "regexp_matches", arguments: [col("s"), lit(0)] },
      /unknown standard function/,
    ],
    [
      "unadvertised extension function",
      {
        node: "call",
        function: { namespace: "duckdb.spatial", name: "intersects_extent", version: 1 },
        arguments: [col("s"), col("s")],
      },
      /not advertised/,
    ],
    [
      "starts_with on a number",
      { node: "call", function: "starts_with", arguments: [col("n"), lit(0)] },
      /VARCHAR/,
    ],
    [
      "field_ref on a scalar",
      cmp(
        "eq",
        { node: "field_ref", expression: col("n"), field_index: 0, field_name: "a" },
        lit(0),
      ),
      /STRUCT/,
    ],
  ])("%s", (_name, expression, message) => {
    expect(refused(() => ok(expression))).toMatch(message);
  });

  test("document-level violations", () => {
    const payload = [int64("value_0", 1n)];
    const good = predicate(cmp("eq", col("n"), lit(0)));
    expect(refused(() => decode({ ...snapshot([good]), kind: "delta" }, payload))).toMatch(
      /snapshot/,
    );
    expect(refused(() => decode({ ...snapshot([good]), semantics: "x" }, payload))).toMatch(
      /semantics/,
    );
    expect(refused(() => decode(snapshot([good, good]), payload))).toMatch(/duplicate id/);
    expect(refused(() => decode(snapshot([{ ...good, revision: 1 }]), payload))).toMatch(
      /revision/,
    );
    expect(refused(() => decode(snapshot([{ ...good, mode: "maybe" }]), payload))).toMatch(/mode/);
    expect(refused(() => decode('{"encoding":"vgi.filters.v2","encoding":"x"}'))).toMatch(
      /duplicate object key/,
    );
    expect(refused(() => decode("{"))).toMatch(/invalid filter JSON/);
    expect(refused(() => decode("[] []"))).toMatch(/trailing/);
    expect(
      refused(() => decodeFilterSnapshot(new Uint8Array([1, 2, 3]), { outputSchema: output })),
    ).toMatch(/vgi.filters.v2/);
  });

  test("limits: depth, nodes, IN-set size", () => {
    let deep: unknown = cmp("eq", col("n"), lit(0));
    for (let i = 0; i < 70; i++) deep = { node: "not", expression: deep };
    expect(refused(() => ok(deep))).toMatch(/deeper than 64/);
    const wide = {
      node: "or",
      children: Array.from({ length: 20 }, () => cmp("eq", col("n"), lit(0))),
    };
    expect(() => ok(wide)).not.toThrow();
    const state = () =>
      decodeFilterSnapshot(
        encodeFilterPayload(snapshot([predicate(wide)]), [int64("value_0", 1n)]),
        {
          outputSchema: output,
          limits: { maxNodes: 30 },
        },
      );
    expect(refused(state)).toMatch(/more than 30 expression nodes/);
    const big = Array.from({ length: 100 }, (_, i) => BigInt(i));
    const inSet = {
      node: "in",
      expression: col("n"),
      set: { kind: "literal", value_ref: 0 },
      negated: false,
    };
    expect(
      refused(() =>
        decodeFilterSnapshot(
          encodeFilterPayload(snapshot([predicate(inSet)]), [int64List("value_0", big)]),
          {
            outputSchema: output,
            limits: { maxSetSize: 50 },
          },
        ),
      ),
    ).toMatch(/exceeds 50/);
  });
});
