/**
 * Table-function arguments checked at bind: declared ranges (inclusive and open
 * bounds, NULL, defaults) and declared choices, refused as the user's error before any
 * stream opens.
 */
import { describe, expect, test } from "vitest";
import { Int64, vectorFromArray, type Data } from "apache-arrow";
import { sql } from "@vgi-ts/protocol";
import { bindCall, probe, value } from "./table-call-builders.js";

describe("declared ranges are enforced at bind", () => {
  test("in range, on an inclusive bound and a default: accepted", () => {
    const { fn } = probe();
    expect(() => fn.bind(bindCall([["count", value(0n, new Int64())]]))).not.toThrow();
  });

  test("below an inclusive bound, NULL, and past an open or closed bound: rejected", () => {
    const { fn } = probe();
    expect(() => fn.bind(bindCall([["count", value(-1n, new Int64())]]))).toThrow(
      "probe: argument 'count' must be >= 0 (got -1) (allowed: [0, +inf))",
    );
    expect(() => fn.bind(bindCall([["count", value(null, new Int64())]]))).toThrow(
      "argument 'count' cannot be NULL",
    );
    const withStep = (step: number) =>
      bindCall([
        ["count", value(1n, new Int64())],
        ["named_step", vectorFromArray([step]).data[0]!],
      ]);
    expect(() => fn.bind(withStep(0))).toThrow("must be > 0.0 (got 0)");
    expect(() => fn.bind(withStep(10))).not.toThrow();
    expect(() => fn.bind(withStep(10.5))).toThrow("must be <= 10 (got 10.5)");
  });
});

describe("declared choices are enforced at bind", () => {
  test("a value outside the choices is InvalidArgument; a listed value or the default passes", () => {
    const { fn } = probe({
      arguments: [
        { name: "count", type: sql.bigint },
        { name: "mode", type: sql.varchar, named: true, default: "a", choices: ["a", "b"] },
      ],
    });
    const count = ["count", value(1n, new Int64())] as [string, Data];
    expect(() => fn.bind(bindCall([count]))).not.toThrow();
    const call = bindCall([count]);
    // As if DuckDB had sent the named value.
    const named = call.named as Map<string, unknown>;
    named.set("mode", "c");
    expect(() => fn.bind(call)).toThrow(/must be one of the allowed choices: a, b/);
    named.set("mode", "b");
    expect(() => fn.bind(call)).not.toThrow();
  });
});
