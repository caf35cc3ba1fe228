/**
 * Table-function executions: the primary stream gets a new execution id and runs
 * `init`, a secondary stream joins it through shared storage, and parallelism, order
 * preservation and batch indexes are advertised as declared.
 */
import { describe, expect, test } from "vitest";
import { Int64, type RecordBatch } from "apache-arrow";
import { GlobalInitResponseCodec } from "@vgi-ts/protocol";
import { MemoryStorage } from "@vgi-ts/worker";
import { bindCall, context, init, probe, value } from "./table-call-builders.js";

describe("executions: primary and secondary streams", () => {
  const header = (stream: { header: RecordBatch | null }) =>
    GlobalInitResponseCodec.decodeRow(stream.header!, 0);

  test("the primary gets a new execution id and runs init; a secondary joins it", async () => {
    const inits: Uint8Array[] = [];
    const { fn, seen } = probe({
      maxWorkers: 8,
      init: (call) => {
        inits.push(call.execution!.id);
      },
    });
    const storage = new MemoryStorage();
    const call = bindCall([["count", value(3n, new Int64())]]);
    const primary = await fn.open(call, init(call), context(), storage);
    const id = header(primary).executionId;
    expect(id.byteLength).toBe(16);
    expect(header(primary).maxWorkers).toBe(8n);
    expect(inits).toEqual([id]);
    expect(seen[0]!.execution).toMatchObject({ id, isPrimary: true, storage });

    const secondary = await fn.open(
      call,
      init(call, { executionId: id, initOpaqueData: Uint8Array.of(7) }),
      context(),
      storage,
    );
    expect(inits).toHaveLength(1);
    expect(header(secondary)).toMatchObject({ executionId: id, opaqueData: Uint8Array.of(7) });
    expect(seen[1]!.execution).toMatchObject({ id, isPrimary: false });
  });

  test("one stream unless the function declares more", async () => {
    const { fn } = probe();
    const call = bindCall([["count", value(3n, new Int64())]]);
    expect(header(await fn.open(call, init(call), context())).maxWorkers).toBe(1n);
    expect(fn.describe(["main"])).toMatchObject({ supportsBatchIndex: false, maxWorkers: null });
  });

  test("parallelism, order preservation and batch indexes are advertised as declared", () => {
    const { fn } = probe({
      maxWorkers: 4,
      orderPreservation: "FIXED_ORDER",
      supportsBatchIndex: true,
    });
    expect(fn.describe(["main"])).toMatchObject({
      maxWorkers: 4,
      orderPreservation: "FIXED_ORDER",
      supportsBatchIndex: true,
    });
  });

  test("a throwing init fails the open with the function's message", async () => {
    const { fn } = probe({
      init: () => {
        throw new Error("no upstream");
      },
    });
    const call = bindCall([["count", value(3n, new Int64())]]);
    await expect(fn.open(call, init(call), context())).rejects.toThrow("no upstream");
  });
});
