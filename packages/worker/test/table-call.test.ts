/**
 * What a table function's `start` sees about its call beyond plain argument values: the
 * positional arguments as Arrow (field + column), the AT clause of the bind, the init
 * request's scan hints (ORDER BY, TABLESAMPLE), and the sampling-pushdown flag in
 * FunctionInfo.
 */
import { describe, expect, test } from "vitest";
import { Int64, Utf8, type Data } from "apache-arrow";
import { sql } from "@vgi-ts/protocol";
import { bindCall, context, init, probe, value } from "./table-call-builders.js";

describe("what start sees", () => {
  test("positional arguments as Arrow, keeping what plain values lose (a UNION's tag)", async () => {
    const union = sql.union({ i: sql.bigint, s: sql.varchar });
    const { fn, seen } = probe({
      arguments: [{ name: "u", type: union, varargs: true }],
    });
    const call = bindCall([
      ["u", union.build([{ tag: "s", value: "x" }])],
      ["named_ignored", value("y", new Utf8())],
    ]);
    await fn.open(call, init(call), context());
    const [arg] = seen[0]!.argumentColumns;
    expect(seen[0]!.argumentColumns).toHaveLength(1);
    expect(String(arg!.field.type)).toBe(String(union.arrowType()));
    expect(union.read(arg!.column, 0)).toEqual({ tag: "s", value: "x" });
  });

  test("the AT clause of the bind reaches start (unit upper-cased); none without one", async () => {
    const { fn, seen } = probe();
    const count: [string, Data][] = [["count", value(3n, new Int64())]];
    const at = bindCall(count, { atUnit: "timestamp", atValue: "2021-01-01 00:00:00" });
    await fn.open(at, init(at), context());
    expect(seen[0]!.at).toEqual({ unit: "TIMESTAMP", value: "2021-01-01 00:00:00" });
    const plain = bindCall(count);
    await fn.open(plain, init(plain), context());
    expect(seen[1]!.at).toBeNull();
    // Half a clause is a malformed bind, refused as the user's error.
    expect(() => bindCall(count, { atUnit: "VERSION", atValue: "" })).toThrow(
      "AT needs both a unit and a value",
    );
  });

  test("no hints without them; the ORDER BY and TABLESAMPLE hints of the init request", async () => {
    const { fn, seen } = probe();
    const call = bindCall([["count", value(3n, new Int64())]]);
    await fn.open(call, init(call), context());
    expect(seen[0]!.pushdown).toEqual({ orderBy: null, sample: null, rowLimit: null });
    await fn.open(
      call,
      init(call, {
        orderByColumnName: "n",
        orderByDirection: "DESC",
        orderByNullOrder: "NULLS_FIRST",
        orderByLimit: 5n,
        tablesamplePercentage: 12.5,
        tablesampleSeed: null,
      }),
      context(),
    );
    expect(seen[1]!.pushdown).toEqual({
      orderBy: { column: "n", direction: "DESC", nullOrder: "NULLS_FIRST", limit: 5n },
      sample: { percentage: 12.5, seed: null },
      rowLimit: null,
    });
  });

  test("sampling pushdown is advertised only when declared", () => {
    expect(probe().fn.describe(["main"]).samplingPushdown).toBeNull();
    expect(probe({ samplingPushdown: true }).fn.describe(["main"]).samplingPushdown).toBe(true);
  });
});
