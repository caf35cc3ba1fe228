/**
 * Decoding vgi.filters.v2 deltas: Top-N bounds tightening by revision, removes, the
 * rule that a delta may only touch advisory predicates, and strict base64 tick metadata.
 */
import { describe, expect, test } from "vitest";
import {
  applyFilterDelta,
  decodeDynamicFilterMetadata,
  encodeFilterPayload,
  type FilterState,
} from "../src/index.js";
import {
  cmp,
  col,
  decode,
  int64,
  lit,
  output,
  predicate,
  refused,
  snapshot,
} from "./filters-support.js";
describe("deltas", () => {
  const base = () => decode(snapshot([]));
  const delta = (updates: unknown[]) => ({
    encoding: "vgi.filters.v2",
    semantics: "vgi.duckdb.standard.v1",
    kind: "delta",
    updates,
  });
  const upsert = (revision: number, value: bigint) =>
    encodeFilterPayload(
      delta([
        {
          operation: "upsert",
          id: "top_n:0",
          revision,
          mode: "advisory",
          source: "top_n",
          expression: cmp("gt", col("n"), lit(0)),
        },
      ]),
      [int64("value_0", value)],
    );

  test("Top-N bounds tighten by revision; stale revisions are ignored; remove drops", () => {
    const s1 = applyFilterDelta(base(), upsert(1, 97n), { outputSchema: output });
    const s2 = applyFilterDelta(s1, upsert(2, 197n), { outputSchema: output });
    const stale = applyFilterDelta(s2, upsert(1, 5n), { outputSchema: output });
    const value = (s: FilterState) => {
      const e = s.predicates[0]!.expression;
      return e.node === "comparison" && e.right.node === "literal" ? e.right.value : undefined;
    };
    expect(value(s1)).toBe(97n);
    expect(value(s2)).toBe(197n);
    expect(value(stale)).toBe(197n);
    const removed = applyFilterDelta(
      s2,
      encodeFilterPayload(delta([{ operation: "remove", id: "top_n:0", revision: 3 }])),
      { outputSchema: output },
    );
    expect(removed.predicates).toHaveLength(0);
  });

  test("a delta may not touch required predicates or upsert required ones", () => {
    const prior = decode(snapshot([predicate(cmp("eq", col("n"), lit(0)))]), [
      int64("value_0", 1n),
    ]);
    expect(
      refused(() =>
        applyFilterDelta(
          prior,
          encodeFilterPayload(delta([{ operation: "remove", id: "query:0", revision: 1 }])),
          { outputSchema: output },
        ),
      ),
    ).toMatch(/required/);
    const required = encodeFilterPayload(
      delta([
        {
          operation: "upsert",
          id: "x",
          revision: 1,
          mode: "required",
          source: "top_n",
          expression: cmp("gt", col("n"), lit(0)),
        },
      ]),
      [int64("value_0", 1n)],
    );
    expect(refused(() => applyFilterDelta(base(), required, { outputSchema: output }))).toMatch(
      /advisory/,
    );
  });

  test("tick metadata is strict base64", () => {
    const bytes = upsert(1, 5n);
    const encoded = btoa(String.fromCharCode(...bytes));
    expect(decodeDynamicFilterMetadata(encoded)).toEqual(bytes);
    expect(refused(() => decodeDynamicFilterMetadata("not base64!"))).toMatch(/base64/);
    expect(refused(() => decodeDynamicFilterMetadata("AAAA", { maxDeltaBase64Bytes: 2 }))).toMatch(
      /exceeds/,
    );
  });
});
