/**
 * What a table function reports about a call beside its rows: column statistics for
 * DuckDB's optimizer, computed from the bound arguments, and `dynamicToString` (the
 * EXPLAIN ANALYZE text) read from what the execution's streams left in shared storage.
 */
import { describe, expect, test } from "vitest";
import { Int64 } from "apache-arrow";
import { decodeSingleBatch, sql } from "@vgi-ts/protocol";
import { MemoryStorage } from "@vgi-ts/worker";
import { bindCall, probe, value } from "./table-call-builders.js";

describe("statistics", () => {
  test("computed from the bound arguments and encoded as a statistics batch", () => {
    const { fn } = probe({
      statistics: ({ args }) => [
        {
          column: "n",
          type: sql.bigint,
          min: 0n,
          max: BigInt(args.count as bigint) - 1n,
          hasNull: false,
          distinctCount: args.count as bigint,
        },
      ],
    });
    const bytes = fn.statistics(bindCall([["count", value(7n, new Int64())]]));
    const batch = decodeSingleBatch(bytes!);
    expect(batch.getChild("column_name")!.get(0)).toBe("n");
    expect(batch.getChild("max")!.get(0)).toBe(6n);
    expect(batch.getChild("has_null")!.get(0)).toBe(false);
    expect(batch.getChild("distinct_count")!.get(0)).toBe(7n);
  });

  test("none declared, or null returned: no statistics (not an error)", () => {
    const call = bindCall([["count", value(7n, new Int64())]]);
    expect(probe().fn.statistics(call)).toBeNull();
    expect(probe({ statistics: () => null }).fn.statistics(call)).toBeNull();
  });
});

describe("dynamicToString", () => {
  test("reads what the execution's streams left in shared storage; none declared: no keys", async () => {
    const storage = new MemoryStorage();
    const executionId = new Uint8Array([7, 7]);
    await storage.append("probe.stats", executionId, new Uint8Array([3]));
    await storage.append("probe.stats", executionId, new Uint8Array([4]));
    const { fn } = probe({
      dynamicToString: async ({ id, storage: shared }) => {
        const entries = await shared.read("probe.stats", id, 0);
        return {
          streams: String(entries.length),
          total: String(entries.reduce((s, e) => s + e.data[0]!, 0)),
        };
      },
    });
    const call = bindCall([["count", value(1n, new Int64())]]);
    expect(await fn.dynamicToString(call, executionId, storage)).toEqual({
      streams: "2",
      total: "7",
    });
    expect(await probe().fn.dynamicToString(call, executionId, storage)).toEqual({});
  });
});
