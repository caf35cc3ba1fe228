/**
 * Decoding vgi.filters.v2 evaluation contexts: the session context must be advertised
 * and carry all its keys, and expressions that depend on session settings (division)
 * are refused without it.
 */
import { describe, expect, test } from "vitest";
import { decodeFilterSnapshot, encodeFilterPayload } from "../src/index.js";
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
describe("snapshot documents", () => {
  test("session evaluation context needs advertising and all its keys", () => {
    const meta = new Map([
      ["vgi_filter_encoding", "vgi.filters.v2"],
      ["vgi_filter_version", "2"],
      ["vgi_evaluation_context", "vgi.duckdb.session.v1"],
      ["vgi_time_zone", "UTC"],
      ["vgi_calendar", "gregorian"],
      ["vgi_default_collation", ""],
      ["vgi_ieee_floating_point_ops", "true"],
      ["vgi_integer_division", "false"],
    ]);
    const bytes = encodeFilterPayload(snapshot([]), [], meta);
    expect(refused(() => decodeFilterSnapshot(bytes, { outputSchema: output }))).toMatch(
      /not advertised/,
    );
    const state = decodeFilterSnapshot(bytes, {
      outputSchema: output,
      evaluationContexts: [{ profile: "vgi.duckdb.session.v1" }],
    });
    expect(state.context).toMatchObject({
      timeZone: "UTC",
      ieeeFloatingPointOps: true,
      integerDivision: false,
    });
    const missing = new Map(meta);
    missing.delete("vgi_calendar");
    expect(
      refused(() =>
        decodeFilterSnapshot(encodeFilterPayload(snapshot([]), [], missing), {
          outputSchema: output,
          evaluationContexts: [{ profile: "vgi.duckdb.session.v1" }],
        }),
      ),
    ).toMatch(/vgi_calendar/);
  });

  test("division needs the session context", () => {
    const e = cmp(
      "gt",
      { node: "arithmetic", op: "divide", left: col("n"), right: lit(0) },
      lit(0),
    );
    expect(refused(() => decode(snapshot([predicate(e)]), [int64("value_0", 2n)]))).toMatch(
      /session/,
    );
  });
});
